"""The data contract between stages: Arrow table schemas, page and figure records, ids.

Every stage imports from here and nothing here imports a stage, so the schemas stay the
one definition of each table (the warehouse and the expectations read them too).
"""
