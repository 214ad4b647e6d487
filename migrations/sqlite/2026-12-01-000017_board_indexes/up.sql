-- The route page's review list filtered by country and stars, with text or
-- with photos walks one index newest first and stops after a page
-- (README, "Speed at scale"): without these, country + stars walked every
-- review of the route with those stars, and "with text" / "with photos"
-- every review of the route, to find the few that match. The partial
-- indexes' conditions are written literally in db::board::review_page.
CREATE INDEX reviews_route_country_stars_idx ON reviews (route_code, country, overall, id);
CREATE INDEX reviews_route_text_idx ON reviews (route_code, id) WHERE has_text;
CREATE INDEX reviews_route_photos_idx ON reviews (route_code, id) WHERE photo_count > 0;
