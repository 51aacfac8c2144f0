"""Reference features of torchvision's resnet18 for the `weights` bench suite (needs Debian's python3-torch
and python3-torchvision; random-initialised weights, nothing is downloaded).

Usage: python3 resnet18_reference.py OUT_DIR
Writes OUT_DIR/resnet18.safetensors (the state dict, float32), OUT_DIR/frames.f32 (2x224x224x3 raw frames in
[0, 1], NHWC) and OUT_DIR/features.f32 (2x512 features before fc, from ImageNet-normalised NCHW input).
"""
import json
import struct
import sys

import torch
import torchvision

out = sys.argv[1]
torch.manual_seed(0)
model = torchvision.models.resnet18(weights=None)
with torch.no_grad():  # non-trivial batch-norm statistics, so that their mapping is checked too
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-0.1, 0.1)
            module.running_var.uniform_(0.5, 1.5)
            module.weight.uniform_(0.5, 1.5)
            module.bias.uniform_(-0.1, 0.1)
model.eval()
state = {k: v.float().contiguous() for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
header, blobs, offset = {}, [], 0
for name, tensor in state.items():
    data = tensor.numpy().astype("<f4").tobytes()
    header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
encoded = json.dumps(header).encode()
with open(f"{out}/resnet18.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs))

frames = torch.rand(2, 224, 224, 3)
mean = torch.tensor([0.485, 0.456, 0.406])
std = torch.tensor([0.229, 0.224, 0.225])
normalised = ((frames - mean) / std).permute(0, 3, 1, 2)
model.fc = torch.nn.Identity()
with torch.no_grad():
    features = model(normalised)
frames.numpy().astype("<f4").tofile(f"{out}/frames.f32")
features.numpy().astype("<f4").tofile(f"{out}/features.f32")
print(json.dumps({"parameters": sum(p.numel() for p in model.parameters())}))
