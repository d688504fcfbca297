-- Every money amount with its page (site, title, url) and publication day (UTC),
-- original value and USD/EUR conversions.

SELECT
    a.amount_id, a.doc_id, d.site, d.url, d.title, d.lang,
    coalesce(d.published_at, a.published_at) AS published_at,
    coalesce(d.published_date, a.published_date) AS published_day,
    d.published_local, a.pub_year, a.pub_month,
    a.surface, a.value, a.value_min, a.value_max, a.currency, a.qualifier, a.in_title,
    a.value_usd, a.value_eur, a.value_min_usd, a.value_max_usd,
    a.fx_date, a.fx_source, a.fx_missing_reason, a.event_id, a.sentence_no, a.mention_no
FROM fact_amount AS a
LEFT JOIN documents AS d ON d.doc_id = a.doc_id
