-- Operators manage categories from the admin panel (issue 17, item 7): each may have box art,
-- stored like channel images (the URL shown, and the media store keys to delete when replaced).
-- Existing slugs and their order are kept.
ALTER TABLE categories
    ADD COLUMN image_url  text,
    ADD COLUMN image_keys text[] NOT NULL DEFAULT '{}';
