-- January to June in one table, with the month each flight belongs to.
SELECT *, 1 AS month FROM jan
UNION ALL SELECT *, 2 FROM feb
UNION ALL SELECT *, 3 FROM mar
UNION ALL SELECT *, 4 FROM apr
UNION ALL SELECT *, 5 FROM may
UNION ALL SELECT *, 6 FROM jun
