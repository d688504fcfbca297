-- Per entity and publication month: USD committed as actor and received as counterpart
-- (deal types {measure_event_type_names} excluded: they describe the actor, not money
-- it commits); n_deals_without_usd says how many deals had no USD value and are missing
-- from the sums. The same deal reported by several pages is counted once per page.

WITH flows AS (
    SELECT actor_id AS entity_id, pub_year, pub_month,
           value_usd AS committed_usd, CAST(NULL AS DOUBLE) AS received_usd,
           1 AS as_actor, 0 AS as_counterpart, value_usd IS NULL AS no_usd
    FROM fact_deal
    WHERE actor_id IS NOT NULL
      AND coalesce(event_type, '') NOT IN ({measure_event_types})
    UNION ALL
    SELECT counterpart_id, pub_year, pub_month,
           CAST(NULL AS DOUBLE), value_usd, 0, 1, value_usd IS NULL
    FROM fact_deal
    WHERE counterpart_id IS NOT NULL
      AND coalesce(event_type, '') NOT IN ({measure_event_types})
)
SELECT
    f.entity_id, any_value(e.name) AS name, any_value(e.kind) AS kind,
    f.pub_year, f.pub_month,
    CASE WHEN f.pub_year IS NOT NULL AND f.pub_month IS NOT NULL
         THEN make_date(f.pub_year, f.pub_month, 1) END AS month,
    coalesce(sum(f.committed_usd), 0) AS committed_usd,
    coalesce(sum(f.received_usd), 0) AS received_usd,
    CAST(sum(f.as_actor) AS INTEGER) AS n_deals_as_actor,
    CAST(sum(f.as_counterpart) AS INTEGER) AS n_deals_as_counterpart,
    CAST(count(*) FILTER (WHERE f.no_usd) AS INTEGER) AS n_deals_without_usd
FROM flows AS f
LEFT JOIN dim_entity AS e ON e.entity_id = f.entity_id
GROUP BY f.entity_id, f.pub_year, f.pub_month
