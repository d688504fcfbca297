-- Deal events with actor and counterpart names, USD value and a readable '$1.23bn'
-- text.

SELECT
    f.event_id, f.doc_id, f.published_at, f.published_date AS published_day,
    f.pub_year, f.pub_month, d.site, d.title, d.url,
    f.event_type, f.status,
    f.actor_id, act.name AS actor, f.counterpart_id, cp.name AS counterpart,
    f.value, f.currency, f.value_usd, {value_usd_text} AS value_usd_text,
    f.amount_id, a.surface AS amount_surface
FROM fact_deal AS f
LEFT JOIN dim_entity AS act ON act.entity_id = f.actor_id
LEFT JOIN dim_entity AS cp ON cp.entity_id = f.counterpart_id
LEFT JOIN documents AS d ON d.doc_id = f.doc_id
LEFT JOIN fact_amount AS a ON a.amount_id = f.amount_id
