"""Notebook 06's pretraining experiments, with their settings and timings.

    python tools/encoder_decoder_experiments.py pair       # prefix LM vs span corruption (~30 min on 1 CPU core)
    python tools/encoder_decoder_experiments.py salient    # random vs salient spans, continuing lecture-t5

The salient arms can run side by side, one process each at one thread (about 40 min each for
6,000 steps on a 2-core CPU), writing the same results file:

    python tools/encoder_decoder_experiments.py salient --arms salient --save ~/.cache/lecturekit/salient --threads 1
    python tools/encoder_decoder_experiments.py salient --arms random --save ~/.cache/lecturekit/salient --threads 1

pair: two LectureT5 of one size pretrained on the lecture world's biographies and
place descriptions (the trivia documents of the shipped models' corpus), alike
but for the objective; each is then scored on the held-out people's birthplaces
as a cloze in its own format, and fine-tuned on the birthplace questions (the
closed-book recipe, three seeds) and scored on the held-out people.

salient: lecture-t5 continued for the same steps on the same documents twice,
hiding the world's entities (one per sentence, as REALM does, at most 40% of a
block) or random spans at the share the salient arm really hid, then the same
closed-book fine-tuning and held-out score.

Writes lecturekit/finetune/results/encoder_decoder_cpu.json (other experiments
already in the file are kept; salient runs are kept per number of steps).
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "lecturekit" / "finetune" / "results" / "encoder_decoder_cpu.json"
PAIR = {"steps": 3000, "batch_size": 16, "block_size": 128, "d_model": 128, "n_layers": 2, "learning_rate": 1e-3,
        "seed": 0}
# The continuation's peak learning rate is lecture-t5's own (configs/lecture-t5.json); 0.4 is only a
# ceiling for the salient arm (one entity per sentence hides about 14%).
SALIENT = {"steps": 6000, "batch_size": 16, "block_size": 128, "learning_rate": 1e-3, "noise_density": 0.4, "seed": 0}


def trivia_documents():
    from lecturekit.train.pretrain import read_config
    from lecturekit.world import build_corpus

    corpus = read_config("configs/lecture-t5.json")["corpus"]
    return [d.text for d in build_corpus(corpus["words"], seed=corpus.get("seed", 0)).documents
            if d.category == "trivia"]


def run_pair(seeds, log=print) -> dict:
    from lecturekit.finetune.experiments.closed_book import closed_book, knows_birthplaces
    from lecturekit.train.data import shared_lecture_tokenizer
    from lecturekit.train.objective_pair import LABELS, as_language_model, objective_pair
    from lecturekit.world.splits import birthplace_qa

    started = time.perf_counter()
    documents, tokenizer, split = trivia_documents(), shared_lecture_tokenizer(), birthplace_qa()
    pair = objective_pair(tokenizer, documents, **PAIR)
    out = {"settings": {**PAIR, "documents": len(documents), "data": pair["span"].settings["data"]}, "models": {}}
    for objective, run in pair.items():
        model = as_language_model(run, tokenizer, name=LABELS[objective])
        known = knows_birthplaces(model, split.test, style=objective)
        result = closed_book([model], seeds=tuple(seeds), log=log)
        out["models"][objective] = {
            "parameters": run.parameters, "final training loss": run.history.train_loss[-1],
            "tokens": run.history.tokens[-1], "cloze": {"correct": int(known["correct"].sum()), "total": len(known)},
            "closed_book": result.to_dict()}
        log(f"{LABELS[objective]}: cloze {int(known['correct'].sum())}/{len(known)}; {result.table().iloc[0].to_dict()}")
    out["seconds"] = time.perf_counter() - started
    return out


def _continue(base, arm, stream, settings, save):
    """lecture-t5 continued on ``stream``; with ``save``, written there (and read back if already there)."""
    import copy

    from lecturekit.hub.lecture import load_lecture_checkpoint
    from lecturekit.train.loop import TrainConfig, train

    name = f"lecture-t5 + {arm} spans"
    folder = Path(save).expanduser() / f"{settings['steps']}-steps-{arm}" if save else None
    if folder is not None and (folder / "continued.json").is_file():
        stats = json.loads((folder / "continued.json").read_text())
        if stats["settings"] == settings:  # the same continuation: reuse it instead of 40 more minutes
            return load_lecture_checkpoint(folder, base.device, base.dtype, name=name), stats
    model = copy.copy(base)
    model.module = copy.deepcopy(base.module).train()
    model.name = name
    config = TrainConfig(steps=settings["steps"], learning_rate=settings["learning_rate"],
                         warmup_steps=settings["steps"] // 10, eval_every=settings["steps"], seed=settings["seed"])
    history = train(model.module, stream, config, device="cpu", progress=False)
    model.module.eval()
    stats = {"settings": settings, "final training loss": history.train_loss[-1],
             "hidden share": getattr(stream, "hidden_share", stream.noise_density)}
    if folder is not None:
        model.module.save_pretrained(folder)
        model.tokenizer.save(str(folder / "tokenizer.json"))
        (folder / "continued.json").write_text(json.dumps(stats, indent=1) + "\n")
    return model, stats


def span_stream(arm, tokenizer, documents, settings):
    """The batches of one arm: the world's entities hidden, or random spans, at ``noise_density``."""
    from lecturekit.train.data import BatchStream
    from lecturekit.train.salient import SalientSpanStream
    from lecturekit.world import make_world

    args = {k: settings[k] for k in ("block_size", "batch_size", "seed", "noise_density")}
    if arm == "salient":
        return SalientSpanStream(tokenizer, documents, make_world(0), **args)
    return BatchStream(tokenizer, documents, "span", **args)


def salient_share(tokenizer, documents, settings) -> float:
    """The share of tokens the salient arm hides in its ``steps`` batches, drawn without training."""
    stream = span_stream("salient", tokenizer, documents, settings)
    for _ in range(settings["steps"]):  # the trainer draws one batch per step
        next(stream)
    return stream.hidden_share


def run_salient(seeds, base_model: str = "lecture-t5", log=print, save=None, arms=("salient", "random"),
                **overrides) -> dict:
    from lecturekit import load_model
    from lecturekit.finetune.experiments.closed_book import (
        best_recipe,
        choose_recipe,
        closed_book,
        knows_birthplaces,
        validation_split,
    )
    from lecturekit.train.data import shared_lecture_tokenizer
    from lecturekit.world.splits import birthplace_qa

    documents, tokenizer, split = trivia_documents(), shared_lecture_tokenizer(), birthplace_qa()
    settings = {**SALIENT, **{k: v for k, v in overrides.items() if v is not None}}
    base = load_model(base_model, device="cpu")
    out = {"settings": {**settings, "documents": len(documents), "base model": base_model}, "arms": {}}
    for arm in arms:  # salient first: the random arm hides the share it really hid
        arm_started, arm_settings = time.perf_counter(), dict(settings)
        if arm == "random":  # the share the salient arm hid: from its run here, else drawn without training
            done = out["arms"].get("salient")
            share = done["hidden share"] if done else salient_share(tokenizer, documents, settings)
            arm_settings["noise_density"] = round(share, 3)
        stream = span_stream(arm, tokenizer, documents, arm_settings)
        model, stats = _continue(base, arm, stream, arm_settings, save)
        known = knows_birthplaces(model, split.test)
        checked = knows_birthplaces(model, validation_split(split)[1])  # training-side people
        # Each arm gets the fine-tuning recipe its own validation people favour, as each model does in
        # closed_book_experiments.py: one recipe for both would favour whichever arm it happens to suit.
        recipe = choose_recipe(model)
        chosen = best_recipe(recipe)
        log(f"{arm}: recipe {chosen}\n{recipe.to_string(index=False)}")
        result = closed_book([model], seeds=tuple(seeds), recipe=chosen, log=log)
        out["arms"][arm] = {"hidden share": stats["hidden share"], "final training loss": stats["final training loss"],
                            "cloze": {"correct": int(known["correct"].sum()), "total": len(known)},
                            "validation cloze": {"correct": int(checked["correct"].sum()), "total": len(checked)},
                            "recipe_search": recipe.to_dict("records"), "closed_book": result.to_dict(),
                            "seconds": time.perf_counter() - arm_started}
        log(f"{arm}: cloze {int(known['correct'].sum())}/{len(known)}; {result.table().iloc[0].to_dict()}")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("experiments", nargs="+", choices=["pair", "salient"])
    parser.add_argument("--seeds", nargs="*", type=int, default=[0, 1, 2])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--t5", default="lecture-t5",
                        help="the encoder-decoder salient continues from (a name, or lecture:<checkpoint folder>)")
    parser.add_argument("--steps", type=int, help=f"salient: continued-pretraining steps (default {SALIENT['steps']})")
    parser.add_argument("--learning-rate", type=float,
                        help=f"salient: peak learning rate (default {SALIENT['learning_rate']})")
    parser.add_argument("--arms", nargs="+", default=["salient", "random"], choices=["salient", "random"],
                        help="salient: the arms to run (two processes can run one each, with --save)")
    parser.add_argument("--save", type=Path,
                        help="salient: keep the continued checkpoints here, and reuse them when the settings match")
    parser.add_argument("--threads", type=int, help="torch CPU threads (default: torch's own choice)")
    args = parser.parse_args(argv)

    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    results = {name: run_pair(args.seeds) if name == "pair" else
               run_salient(args.seeds, args.t5, save=args.save, arms=args.arms,
                           steps=args.steps, learning_rate=args.learning_rate)
               for name in args.experiments}
    # Read the file only now: a process running the other salient arm may have written it meanwhile.
    data = json.loads(args.out.read_text()) if args.out.is_file() else {}
    if "pair" in results:
        data["pair"] = results["pair"]
    if "salient" in results:  # one entry per length of continuation, so runs of different lengths sit side by side
        result = results["salient"]
        runs = data.setdefault("salient", {})
        key = f"{result['settings']['steps']} steps"
        earlier = runs.get(key)
        if earlier and earlier["settings"] == result["settings"]:  # the other arm of the same run: keep it
            result = {**result, "arms": {**earlier["arms"], **result["arms"]}}
        runs[key] = result
    given = sys.argv[1:] if argv is None else list(argv)
    command = "python " + " ".join(shlex.quote(a) for a in ["tools/encoder_decoder_experiments.py", *given])
    command = command.replace(str(Path.home()), "~")  # the command as typed, for anyone's home
    if command not in data.setdefault("commands", []):  # a rerun of the same command is listed once
        data["commands"].append(command)
    data["device"] = f"cpu, torch {torch.__version__}"
    args.out.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
