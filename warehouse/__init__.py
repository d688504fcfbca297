"""DuckDB warehouse: schema from the Arrow tables, transactional loads, Parquet exports.

`store.Warehouse` is the only writer; `export.export_all` publishes Parquet files that
dashboards read; `query.run_sql` answers ad-hoc SQL from either. Everything derives its
columns from `transforms.contract.tables`, so a schema change is made in one place.
"""
