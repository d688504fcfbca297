-- Deal events with actor and counterpart names, USD value and a readable '$1.23bn'
-- text. A role is shown only when its confidence is at least {view_min} (fact_deal
-- keeps the less certain ones, down to transforms.deals.confidence.ROLE_FLOOR; rows
-- loaded before the confidence columns existed have none and are shown as they were).

SELECT
    f.event_id, f.doc_id, f.published_at, f.published_date AS published_day,
    f.pub_year, f.pub_month, d.site, d.title, d.url,
    f.event_type, f.status,
    CASE WHEN coalesce(f.actor_confidence, 1.0) >= {view_min} THEN f.actor_id END AS actor_id,
    CASE WHEN coalesce(f.actor_confidence, 1.0) >= {view_min} THEN act.name END AS actor,
    CASE WHEN coalesce(f.counterpart_confidence, 1.0) >= {view_min} THEN f.counterpart_id END
        AS counterpart_id,
    CASE WHEN coalesce(f.counterpart_confidence, 1.0) >= {view_min} THEN cp.name END
        AS counterpart,
    f.value, f.currency, f.value_usd, {value_usd_text} AS value_usd_text,
    f.amount_id, a.surface AS amount_surface,
    f.type_confidence, f.actor_confidence, f.counterpart_confidence
FROM fact_deal AS f
LEFT JOIN dim_entity AS act ON act.entity_id = f.actor_id
LEFT JOIN dim_entity AS cp ON cp.entity_id = f.counterpart_id
LEFT JOIN documents AS d ON d.doc_id = f.doc_id
LEFT JOIN fact_amount AS a ON a.amount_id = f.amount_id
