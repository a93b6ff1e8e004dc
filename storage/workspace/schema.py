"""The tables of a workspace file: datasets and their versions, grid drafts, runs and their details, events."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS datasets (
    dataset_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL UNIQUE,
    current_version INTEGER NOT NULL,
    source VARCHAR,
    created TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE TABLE IF NOT EXISTS dataset_versions (
    dataset_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    table_name VARCHAR NOT NULL,
    rows BIGINT NOT NULL,
    columns INTEGER NOT NULL,
    note VARCHAR,
    created TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (dataset_id, version)
);
CREATE TABLE IF NOT EXISTS version_details (
    dataset_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    size_bytes BIGINT,
    change VARCHAR,
    PRIMARY KEY (dataset_id, version)
);
CREATE TABLE IF NOT EXISTS column_types (
    dataset_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    column_name VARCHAR NOT NULL,
    type VARCHAR NOT NULL,
    PRIMARY KEY (dataset_id, version, column_name)
);
CREATE TABLE IF NOT EXISTS dataset_drafts (
    dataset_id VARCHAR NOT NULL,
    base_version INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    row_id BIGINT NOT NULL,
    column_name VARCHAR NOT NULL,
    value VARCHAR,
    updated TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (dataset_id, kind, row_id, column_name)
);
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    dataset_id VARCHAR NOT NULL,
    dataset_version INTEGER NOT NULL,
    target VARCHAR NOT NULL,
    task VARCHAR NOT NULL,
    model VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    metric VARCHAR,
    metrics VARCHAR,
    settings VARCHAR,
    fit_seconds DOUBLE,
    error VARCHAR,
    created TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE TABLE IF NOT EXISTS fold_metrics (
    run_id VARCHAR NOT NULL,
    fold INTEGER NOT NULL,
    split VARCHAR NOT NULL,
    metric VARCHAR NOT NULL,
    value DOUBLE
);
CREATE TABLE IF NOT EXISTS events (
    logged_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    kind VARCHAR NOT NULL,
    detail VARCHAR,
    outcome VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS run_importance (
    run_id VARCHAR NOT NULL,
    feature VARCHAR NOT NULL,
    model_importance DOUBLE,
    permutation_mean DOUBLE,
    permutation_std DOUBLE
);
CREATE TABLE IF NOT EXISTS learning_curves (
    run_id VARCHAR NOT NULL,
    step INTEGER NOT NULL,
    split VARCHAR NOT NULL,
    metric VARCHAR,
    value DOUBLE
);
CREATE TABLE IF NOT EXISTS predictions (
    prediction_id VARCHAR PRIMARY KEY,
    run_id VARCHAR NOT NULL,
    source VARCHAR,
    rows BIGINT NOT NULL,
    output_dataset_id VARCHAR,
    created TIMESTAMP NOT NULL DEFAULT current_timestamp
);
-- Columns added after the first release: workspaces made before them get them when next opened.
ALTER TABLE predictions ADD COLUMN IF NOT EXISTS drift VARCHAR;
CREATE TABLE IF NOT EXISTS active_runs (
    dataset_id VARCHAR PRIMARY KEY,
    run_id VARCHAR NOT NULL,
    updated TIMESTAMP NOT NULL DEFAULT current_timestamp
);
"""
