"""Makes torch_mlp.safetensors and torch_mlp.json: a PyTorch MLP's weights and its output on fixed inputs.

Run with Debian's PyTorch:  /usr/bin/python3 make_linear_fixture.py   (in this folder)
The model is nn.Sequential(nn.Linear(3, 3), nn.Tanh(), nn.Linear(3, 2)) in float64, seeded; the square first
layer is the case where a transposed load would go unnoticed by shape checks. The safetensors file is
written by hand (8-byte little-endian header length, JSON header, raw little-endian data), as the
`safetensors` package is not in Debian.
"""
import json
import struct

import torch

torch.manual_seed(1234)
model = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Tanh(), torch.nn.Linear(3, 2)).double()
x = torch.randn(4, 3, dtype=torch.float64)
y = model(x)

state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
header, blobs, offset = {}, [], 0
for name in sorted(state):
    t = state[name]
    data = t.numpy().astype("<f8").tobytes()
    header[name] = {"dtype": "F64", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
header["__metadata__"] = {"source": "torch " + torch.__version__ + ", make_linear_fixture.py"}
text = json.dumps(header, separators=(",", ":")).encode("utf-8")
text += b" " * ((8 - len(text) % 8) % 8)
with open("torch_mlp.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)))
    f.write(text)
    for b in blobs:
        f.write(b)
with open("torch_mlp.json", "w") as f:
    json.dump({"input": x.tolist(), "output": y.detach().tolist()}, f, indent=1)
print("wrote torch_mlp.safetensors and torch_mlp.json; output", y.detach().tolist())
