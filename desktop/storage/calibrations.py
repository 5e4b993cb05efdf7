"""Calibration results kept in the `model_calibrations` table, one row per model key."""

from __future__ import annotations

from sqlalchemy import select

from desktop.core.grading.calibration import CalibrationResult
from desktop.storage.database import Database
from desktop.storage.schema import ModelCalibrationRow


class StoredCalibrations:
    """`core.grading.calibration.CalibrationCache` on the database; a save is committed on return.

    A row whose stored result cannot be read (written by another version) counts as absent, so
    the model is simply measured again.
    """

    def __init__(self, database: Database) -> None:
        self._database = database

    def load(self, model_key: str) -> CalibrationResult | None:
        with self._database.reading() as session:
            row = session.scalars(
                select(ModelCalibrationRow).where(ModelCalibrationRow.model_key == model_key)
            ).one_or_none()
            if row is None:
                return None
            try:
                return CalibrationResult.from_json(dict(row.result))
            except (KeyError, TypeError, ValueError):
                return None

    def save(self, result: CalibrationResult) -> None:
        with self._database.session() as session:
            row = session.scalars(
                select(ModelCalibrationRow).where(ModelCalibrationRow.model_key == result.model_key)
            ).one_or_none()
            if row is None:
                row = ModelCalibrationRow(model_key=result.model_key)
                session.add(row)
            row.model_name = result.model_name
            row.measured_at = result.measured_at
            row.cases = result.cases
            row.agreed = result.agreed
            row.result = result.as_json()
