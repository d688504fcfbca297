"""Stage 5, money: ISO 4217 currencies, exchange rates and the normalised amount rows.

`currencies` and `fx` hold the reference data and the rate book; `normalise` turns the
extractor's money figures into `fact_amount` rows with USD and EUR values.
"""
