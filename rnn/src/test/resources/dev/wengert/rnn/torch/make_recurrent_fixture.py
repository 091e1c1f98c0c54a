"""Makes torch_{rnn,lstm,gru}_f32.safetensors, torch_{lstm2,gru2}_f64.safetensors and torch_recurrent.json:
PyTorch recurrent modules' state_dicts as they are, and their outputs on a fixed input sequence.

Run with Debian's PyTorch:  /usr/bin/python3 make_recurrent_fixture.py   (in this folder)
The modules, seeded, input size 3, hidden size 4: nn.RNN (tanh), nn.LSTM and nn.GRU with one layer, stored in
F32; nn.LSTM and nn.GRU with two layers, made in float64 and stored in F64. PyTorch's default initialisation
gives non-zero bias_ih and bias_hh, so the loader's sum of the two is exercised. The input is one sequence of
T = 5 steps, batch 2 ([T, batch, 3], batch_first=False), float32 values (so the float32 modules see exactly the
numbers in the JSON). For each module the JSON has its state_dict's names and shapes in order, the input, and
PyTorch's outputs: "output" [T, batch, 4] (the top layer's h at every step), "h_n" [layers, batch, 4] and, for
the LSTMs, "c_n" [layers, batch, 4], computed in the module's own dtype; for the F32 modules also "output_f64",
"h_n_f64", "c_n_f64": the same module converted to float64 with those F32 values (exactly), run on the same input.
The safetensors files are written by hand, as in nn's make_linear_fixture.py (the `safetensors` package is not
in Debian).

Check mode:  /usr/bin/python3 make_recurrent_fixture.py --check DIR
reads the files Wengert wrote into DIR (TorchRecurrentTest writes wengert_<name>.safetensors and
wengert_outputs.json there when the environment variable WENGERT_TORCH_EXPORT names DIR), loads each into a
float64 PyTorch module of the same kind with the strict load_state_dict, runs it on the input Wengert used and
prints the largest difference from Wengert's outputs; it exits with status 1 if a load fails or a difference
exceeds 1e-12.
"""
import json
import struct
import sys

import torch

CODES = {"F64": (torch.float64, "<f8"), "F32": (torch.float32, "<f4")}
KINDS = {"RNN": torch.nn.RNN, "LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU}


def write(path, state, code, source):
    dtype, numpy_type = CODES[code]
    header, blobs, offset = {}, [], 0
    for name, t in state.items():
        data = t.detach().to(dtype).contiguous().numpy().astype(numpy_type).tobytes()
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"source": "torch " + torch.__version__ + ", " + source}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def read(path):
    """The tensors of a safetensors file (F64 or F32), by name, as float64, in header order."""
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    header.pop("__metadata__", None)
    out = {}
    for name, e in header.items():
        dtype, numpy_type = CODES[e["dtype"]]
        begin, end = e["data_offsets"]
        values = torch.frombuffer(bytearray(raw[8 + n + begin:8 + n + end]), dtype=dtype)
        out[name] = values.reshape(e["shape"]).to(torch.float64)
    return out


def run(module, x):
    """PyTorch's outputs as lists: output, h_n and (LSTM) c_n."""
    with torch.no_grad():
        output, state = module(x)
    res = {"output": output.tolist()}
    if isinstance(state, tuple):
        res["h_n"], res["c_n"] = state[0].tolist(), state[1].tolist()
    else:
        res["h_n"] = state.tolist()
    return res


def make():
    torch.manual_seed(2024)
    specs = [("rnn", "RNN", 1, "F32"), ("lstm", "LSTM", 1, "F32"), ("gru", "GRU", 1, "F32"),
             ("lstm2", "LSTM", 2, "F64"), ("gru2", "GRU", 2, "F64")]
    x32 = torch.randn(5, 2, 3, dtype=torch.float32)
    models = {}
    for name, kind, layers, code in specs:
        dtype = CODES[code][0]
        extra = {"nonlinearity": "tanh"} if kind == "RNN" else {}
        module = KINDS[kind](3, 4, num_layers=layers, dtype=dtype, **extra)
        state = {k: v.detach().clone() for k, v in module.state_dict().items()}
        fname = "torch_%s_%s.safetensors" % (name, code.lower())
        write(fname, state, code, "make_recurrent_fixture.py")
        entry = {"file": fname, "dtype": code, "kind": kind, "input_size": 3, "hidden_size": 4, "num_layers": layers,
                 "state_dict": [[k, list(v.shape)] for k, v in state.items()], "input": x32.double().tolist()}
        entry.update(run(module, x32.to(dtype)))
        if code == "F32":
            double = KINDS[kind](3, 4, num_layers=layers, dtype=torch.float64, **extra)
            double.load_state_dict({k: v.double() for k, v in state.items()}, strict=True)
            entry.update({k + "_f64": v for k, v in run(double, x32.double()).items()})
        models[name] = entry
    with open("torch_recurrent.json", "w") as f:
        json.dump({"torch": torch.__version__, "models": models}, f, indent=1)


def check(folder):
    with open(folder + "/wengert_outputs.json") as f:
        wengert = json.load(f)
    bad = False
    for name, entry in wengert.items():
        kind, layers = entry["kind"], entry["num_layers"]
        extra = {"nonlinearity": "tanh"} if kind == "RNN" else {}
        module = KINDS[kind](entry["input_size"], entry["hidden_size"], num_layers=layers, dtype=torch.float64,
                             **extra)
        try:
            module.load_state_dict(read(folder + "/wengert_" + name + ".safetensors"), strict=True)
        except RuntimeError as e:
            print(name, "FAILED to load:", e)
            bad = True
            continue
        got = run(module, torch.tensor(entry["input"], dtype=torch.float64))
        worst = 0.0
        for key in got:
            diff = (torch.tensor(got[key], dtype=torch.float64)
                    - torch.tensor(entry[key], dtype=torch.float64)).abs().max().item()
            worst = max(worst, diff)
        print("%-6s %-4s layers %d: strict load_state_dict ok, largest difference from Wengert's outputs %.3g"
              % (name, kind, layers, worst))
        bad = bad or not worst <= 1e-12
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    else:
        make()
