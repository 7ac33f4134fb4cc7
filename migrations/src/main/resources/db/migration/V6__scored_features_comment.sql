-- The job logs the raw feature vector, the one the learner and the analysts need; V1's comment said otherwise.
COMMENT ON COLUMN fraudwatch.scored_transactions.features IS
    'Feature vector as computed at scoring time, raw (not standardised, no bias term), in the order of the model version''s feature schema.';
