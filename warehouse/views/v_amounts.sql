-- Every money amount with the page it was read on (site, url, title, language), its
-- publication day, the sentence it was written in, the amount as written and as parsed
-- (value, range, currency, qualifier) and its USD/EUR values at the publication date
-- (fx_date, fx_source; a null value_usd says why in fx_missing_reason). One row per
-- amount_id. The sentence is cut from the body at fact_amount's sentence_start and
-- sentence_end, the bounds of the sentence that sentence_no counts (one splitter for
-- both); an amount in the title has the title as its sentence.
SELECT
    a.amount_id, a.doc_id, d.site, d.url, d.title, d.lang,
    coalesce(d.published_at, a.published_at) AS published_at,
    coalesce(d.published_date, a.published_date) AS published_day,
    d.published_local, a.pub_year, a.pub_month,
    a.surface,
    CASE
        WHEN a.body_start IS NULL THEN coalesce(d.title, a.surface)
        WHEN a.sentence_start IS NULL OR a.sentence_end IS NULL OR d.body IS NULL THEN a.surface
        ELSE trim(substr(d.body, a.sentence_start + 1, a.sentence_end - a.sentence_start))
    END AS sentence,
    a.value, a.value_min, a.value_max, a.currency, a.qualifier, a.in_title, a.implied,
    a.furniture, a.value_usd, a.value_eur, a.value_min_usd, a.value_max_usd,
    a.fx_date, a.fx_source, a.fx_missing_reason, a.event_id, a.sentence_no, a.mention_no
FROM fact_amount AS a
LEFT JOIN documents AS d ON d.doc_id = a.doc_id
