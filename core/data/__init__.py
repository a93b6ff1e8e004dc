"""Datasets in: uploads and Redis keys (``redis_import``) read and saved, column types, samples, export."""
from core.data.datasets import (Ingested, Inspection, change_column_types, create_blank, dataset_types,
                                export_dataset, ingest, ingest_file, inspect_file, load_sample, upload_size)
from core.data.redis_import import RedisPreview, ingest_redis, preview_redis, save_redis_rows
from core.data.samples import SAMPLES
from core.data.types import TYPES

__all__ = ["Ingested", "Inspection", "SAMPLES", "TYPES", "change_column_types", "create_blank", "dataset_types",
           "export_dataset", "ingest", "ingest_file", "ingest_redis", "inspect_file", "load_sample", "preview_redis",
           "RedisPreview", "save_redis_rows", "upload_size"]
