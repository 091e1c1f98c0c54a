"""Makes torch_bn_f32.safetensors and torch_bn.json: a PyTorch MLP with batch norm, its state_dict stored in F32
(the counter num_batches_tracked in I64, as PyTorch keeps it), and the float64 model's evaluation-mode output on
fixed inputs with those F32 values.

Run with Debian's PyTorch:  /usr/bin/python3 make_batchnorm_fixture.py   (in this folder)
The model is nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Tanh(), nn.Linear(4, 2)), seeded; three
training-mode passes move the running statistics away from their initial values and count three batches. The
safetensors file is written by hand, as in make_linear_fixture.py.
"""
import json
import struct

import torch

torch.manual_seed(4321)
model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Tanh(), torch.nn.Linear(4, 2))
with torch.no_grad():
    model[1].weight.uniform_(0.5, 1.5)
    model[1].bias.uniform_(-0.5, 0.5)
    model.train()
    for _ in range(3):
        model(torch.randn(8, 3) * 2 + 0.5)
model.eval()
x = torch.randn(5, 3, dtype=torch.float64)

state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
header, blobs, offset = {}, [], 0
for name in sorted(state):
    t = state[name]
    if t.dtype == torch.int64:
        code, data = "I64", t.numpy().astype("<i8").tobytes()
    else:
        code, data = "F32", t.float().numpy().astype("<f4").tobytes()
    header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
header["__metadata__"] = {"source": "torch " + torch.__version__ + ", make_batchnorm_fixture.py"}
text = json.dumps(header, separators=(",", ":")).encode("utf-8")
text += b" " * ((8 - len(text) % 8) % 8)
with open("torch_bn_f32.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)))
    f.write(text)
    for b in blobs:
        f.write(b)

double = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Tanh(),
                             torch.nn.Linear(4, 2)).double()
double.load_state_dict({k: (v if v.dtype == torch.int64 else v.float().double()) for k, v in state.items()})
double.eval()
with open("torch_bn.json", "w") as f:
    json.dump({"input": x.tolist(), "output": double(x).detach().tolist(),
               "num_batches_tracked": int(state["1.num_batches_tracked"])}, f, indent=1)
