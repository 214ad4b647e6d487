DROP TABLE promotions;
DROP TABLE pricing_rules;
DROP TABLE rate_rows;
DROP TABLE routes;
DROP TABLE rate_sheets;
DROP TABLE countries;
