"""Makes torch_mlp.safetensors and torch_mlp.json: a PyTorch MLP's weights and its output on fixed inputs; and
torch_mlp_{f32,f16,bf16}.safetensors, the same weights stored in those dtypes, with torch's own conversion of
them back to float64 and the float64 model's output with those weights in torch_mlp_dtypes.json.

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
CODES = {torch.float64: ("F64", "<f8"), torch.float32: ("F32", "<f4"), torch.float16: ("F16", "<f2"),
         torch.bfloat16: ("BF16", None)}


def write(path, tensors, dtype):
    code, numpy_type = CODES[dtype]
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].to(dtype).contiguous()
        if numpy_type is None:  # bfloat16: numpy has no such type; the upper 16 bits of the float32
            data = (t.float().view(torch.int32) >> 16).to(torch.int16).numpy().astype("<i2").tobytes()
        else:
            data = t.numpy().astype(numpy_type).tobytes()
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"source": "torch " + torch.__version__ + ", make_linear_fixture.py"}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


write("torch_mlp.safetensors", state, torch.float64)
expected = {}
for dtype, suffix in ((torch.float32, "f32"), (torch.float16, "f16"), (torch.bfloat16, "bf16")):
    write("torch_mlp_" + suffix + ".safetensors", state, dtype)
    rounded = {k: v.to(dtype).double() for k, v in state.items()}
    copy = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Tanh(), torch.nn.Linear(3, 2)).double()
    copy.load_state_dict(rounded)
    expected[suffix] = {"tensors": {k: v.flatten().tolist() for k, v in rounded.items()},
                        "output": copy(x).detach().tolist()}
with open("torch_mlp_dtypes.json", "w") as f:
    json.dump(expected, f, indent=1)
with open("torch_mlp.json", "w") as f:
    json.dump({"input": x.tolist(), "output": y.detach().tolist()}, f, indent=1)
print("wrote torch_mlp.safetensors and torch_mlp.json; output", y.detach().tolist())
