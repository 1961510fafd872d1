-- Features known at departure time, and the label: more than 15 minutes late.
SELECT
  hour(date) + minute(date) / 60.0 AS departure_hour,
  dayofweek(date)::BIGINT AS weekday,
  day(date)::BIGINT AS day_of_month,
  distance::DOUBLE AS distance,
  origin,
  destination,
  CASE WHEN delay > 15 THEN 'yes' ELSE 'no' END AS delayed
FROM flights
