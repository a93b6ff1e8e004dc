"""Predicting: new rows checked against a model's input contract, predicted by a run's model bundle, recorded."""
from core.predict.bundles import (default_run, export_bundle, load_model, model_stamp, open_bundle_zip, run_sidecar,
                                  set_active_run)
from core.predict.contract import InputCheck, build_contract, check_input
from core.predict.drift import DriftCounter, drift_of, drift_sentences, drift_table
from core.predict.prediction import (Prediction, record_probabilities, predict_chunks, predict_frame, predict_record,
                                     predictions_csv)
from core.predict.output import OutputColumns, target_summary
from core.predict.reasons import Contributions, contributions, global_reasons, reason_columns, reason_table
from core.predict.service import (DEFAULT_CHUNK_ROWS, EXCEL_MAX_ROWS, BatchPrediction, forget_prediction, predict,
                                  predict_rows, prediction_history, predictions_csv_file, predictions_xlsx,
                                  save_prediction)

__all__ = ["DEFAULT_CHUNK_ROWS", "EXCEL_MAX_ROWS", "BatchPrediction", "Contributions", "DriftCounter", "InputCheck",
           "Prediction", "build_contract", "contributions", "drift_of", "drift_sentences", "drift_table",
           "global_reasons", "reason_columns", "reason_table",
           "check_input", "record_probabilities", "default_run", "export_bundle", "load_model", "model_stamp",
           "open_bundle_zip", "predict", "predict_chunks", "predict_frame", "predict_record", "predict_rows",
           "predictions_csv", "predictions_xlsx", "run_sidecar", "set_active_run", "OutputColumns", "target_summary",
           "forget_prediction", "prediction_history", "predictions_csv_file", "save_prediction"]
