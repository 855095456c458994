-- Keyset orders of the lists (orderBy, issue 11): each order is (key, id) in one direction, so a
-- btree on (key, id) serves it forward and, scanned backward, its backward pages.
-- articles(orderBy: TITLE), claims(orderBy: POSITION), sources(orderBy: NAME).
-- (PUBLISHED_AT uses article_published_at_idx and, for anonymous readers, article_status_published_at_id_idx;
-- CREATED_AT the existing *_created_at_id_idx.)
CREATE INDEX "article_title_id_idx" ON "article"("title", "id");
CREATE INDEX "claim_position_id_idx" ON "claim"("position", "id");
CREATE INDEX "source_name_id_idx" ON "source"("name", "id");
