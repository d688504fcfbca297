-- Every money amount with the page it was read on (site, url, title, language), its
-- publication day, the sentence it was written in, the amount as written and as parsed
-- (value, range, currency, qualifier) and its USD/EUR values at the publication date
-- (fx_date, fx_source; a null value_usd says why in fx_missing_reason). One row per
-- amount_id. The sentence runs from the previous sentence end (. ! ? followed by a space,
-- or a line break) to the next one, at most 300 characters either side of the amount; an
-- amount in the title has the title as its sentence.
WITH located AS (
    SELECT
        a.*,
        d.site, d.url, d.title, d.lang, d.published_local,
        d.published_at AS doc_published_at, d.published_date AS doc_published_date,
        CASE WHEN a.body_start IS NOT NULL AND a.body_end IS NOT NULL THEN
            substr(d.body, greatest(a.body_start - 300, 0) + 1,
                   a.body_start - greatest(a.body_start - 300, 0)) END AS before_text,
        CASE WHEN a.body_start IS NOT NULL AND a.body_end IS NOT NULL THEN
            substr(d.body, a.body_start + 1, a.body_end - a.body_start) END AS amount_text,
        CASE WHEN a.body_start IS NOT NULL AND a.body_end IS NOT NULL THEN
            substr(d.body, a.body_end + 1, 300) END AS after_text
    FROM fact_amount AS a
    LEFT JOIN documents AS d ON d.doc_id = a.doc_id
)
SELECT
    amount_id, doc_id, site, url, title, lang,
    coalesce(doc_published_at, published_at) AS published_at,
    coalesce(doc_published_date, published_date) AS published_day,
    published_local, pub_year, pub_month,
    surface,
    CASE
        WHEN amount_text IS NULL THEN coalesce(title, surface)
        ELSE trim(
            CASE WHEN regexp_matches(before_text, '(?s)^.*(?:[.!?]\s|\n)(.*)$')
                 THEN regexp_extract(before_text, '(?s)^.*(?:[.!?]\s|\n)(.*)$', 1)
                 ELSE before_text END
            || amount_text
            || CASE WHEN regexp_matches(after_text, '^([^\n]*?[.!?])(?:\s|$)')
                    THEN regexp_extract(after_text, '^([^\n]*?[.!?])(?:\s|$)', 1)
                    ELSE regexp_extract(after_text, '^[^\n]*') END)
    END AS sentence,
    value, value_min, value_max, currency, qualifier, in_title, implied, furniture,
    value_usd, value_eur, value_min_usd, value_max_usd,
    fx_date, fx_source, fx_missing_reason, event_id, sentence_no, mention_no
FROM located
