"""Datasets in: reading and saving uploads, column types (``types``), sample tables (``samples``), export."""
from core.data.datasets import (Ingested, Inspection, change_column_types, create_blank, dataset_types,
                                export_dataset, ingest, ingest_file, inspect_file, load_sample, upload_size)
from core.data.samples import SAMPLES
from core.data.types import TYPES

__all__ = ["Ingested", "Inspection", "SAMPLES", "TYPES", "change_column_types", "create_blank", "dataset_types",
           "export_dataset", "ingest", "ingest_file", "inspect_file", "load_sample", "upload_size"]
