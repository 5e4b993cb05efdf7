"""How to run a model: CPU threads, layers offloaded to a GPU, context length."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QSpinBox, QWidget

from desktop.core.model_service import GPU_LAYERS_AUTO, ModelOptions

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
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for spin in (self.threads, self.gpu_layers, self.context):
            spin.setMinimumWidth(300)
        layout.addRow("CPU &threads", self.threads)
        layout.addRow("&GPU layers", self.gpu_layers)
        layout.addRow("&Context length", self.context)

    def show_options(self, options: ModelOptions) -> None:
        self.threads.setValue(options.n_threads)
        layers = options.n_gpu_layers
        self.gpu_layers.setValue(AUTO_LAYERS if layers == GPU_LAYERS_AUTO else int(layers))
        self.context.setValue(options.n_ctx)

    def options(self, model: str) -> ModelOptions:
        layers = self.gpu_layers.value()
        return ModelOptions(
            model=model,
            n_ctx=self.context.value(),
            n_threads=self.threads.value(),
            n_gpu_layers=GPU_LAYERS_AUTO if layers == AUTO_LAYERS else layers,
        )
