DROP TABLE api_rate_buckets;
