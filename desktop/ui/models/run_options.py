"""How to run a model: CPU threads, layers offloaded to a GPU, context length, and how long a
grade may take before it falls back to the word-matching score."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QSpinBox, QWidget

from desktop.core.grading.model_service import GPU_LAYERS_AUTO, ModelOptions

AUTO_LAYERS = -1  # the spin box's special value shown as "auto"


class RunOptions(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.threads = QSpinBox()
        self.threads.setObjectName("modelThreads")
        self.threads.setRange(0, 256)
        self.threads.setSpecialValueText("automatic (all cores but one)")
        self.gpu_layers = QSpinBox()
        self.gpu_layers.setObjectName("modelGpuLayers")
        self.gpu_layers.setRange(AUTO_LAYERS, 999)
        self.gpu_layers.setSpecialValueText("auto (all when a GPU is available)")
        self.context = QSpinBox()
        self.context.setObjectName("modelContext")
        self.context.setRange(512, 131072)
        self.context.setSingleStep(512)
        self.context.setSuffix(" tokens")
        self.timeout = QSpinBox()
        self.timeout.setObjectName("modelTimeout")
        self.timeout.setRange(5, 3600)
        self.timeout.setSingleStep(15)
        self.timeout.setSuffix(" s per grade")
        self.timeout.setToolTip(
            "A grade that takes longer keeps the word-matching score, labelled as such."
        )
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for spin in (self.threads, self.gpu_layers, self.context, self.timeout):
            spin.setMinimumWidth(300)
        layout.addRow("CPU &threads", self.threads)
        layout.addRow("&GPU layers", self.gpu_layers)
        layout.addRow("&Context length", self.context)
        layout.addRow("&Time limit", self.timeout)

    def show_options(self, options: ModelOptions) -> None:
        self.threads.setValue(options.n_threads)
        layers = options.n_gpu_layers
        self.gpu_layers.setValue(AUTO_LAYERS if layers == GPU_LAYERS_AUTO else int(layers))
        self.context.setValue(options.n_ctx)
        self.timeout.setValue(round(options.timeout_s))

    def options(self, model: str) -> ModelOptions:
        layers = self.gpu_layers.value()
        return ModelOptions(
            model=model,
            n_ctx=self.context.value(),
            n_threads=self.threads.value(),
            n_gpu_layers=GPU_LAYERS_AUTO if layers == AUTO_LAYERS else layers,
            timeout_s=float(self.timeout.value()),
        )
