DROP INDEX reviews_route_photos_idx;
DROP INDEX reviews_route_text_idx;
DROP INDEX reviews_route_country_stars_idx;
