"""PyTorch's one-thread time for the `engine` bench suite's cases, measured side by side (needs Debian's
python3-torch; the tests never run it). The same reference CNNs as lib/engine/reference_cnn.ts, batch 64 of
28x28x1 uniform inputs, softmax cross-entropy, Adam (lr 1e-3); a PGD step is the input gradient, a sign step,
the projection on the eps-ball and the clamp to [0, 1], as the suite's.

Usage: python3 engine_reference.py STEPS
Prints one JSON object: {"torch": version, "threads": 1, "cases": [{"model", "step", "ms"}, ...]}, each ms the
median of STEPS timed steps after 5 warm-up steps.
"""
import json
import statistics
import sys
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(0)
BATCH, WARMUP = 64, 5
steps = int(sys.argv[1])


def reference_cnn(name):
    """The `small` or `medium` reference CNN (NCHW; the layer shapes of reference_cnn.ts)."""
    if name == "small":
        return torch.nn.Sequential(
            torch.nn.Conv2d(1, 16, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Flatten(), torch.nn.Linear(13 * 13 * 16, 10))
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(32, 64, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(7 * 7 * 64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))


def median_ms(step):
    for _ in range(WARMUP):
        step()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


x = torch.rand(BATCH, 1, 28, 28)
y = torch.randint(0, 10, (BATCH,))
loss_of = torch.nn.CrossEntropyLoss()
cases = []
for name in ["small", "medium"]:
    net = reference_cnn(name)
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)

    def train():
        optimizer.zero_grad()
        loss = loss_of(net(x), y)
        loss.backward()
        optimizer.step()
        loss.item()

    cases.append({"model": name, "step": "train", "ms": median_ms(train)})

    epsilon, step_size = 0.1, 0.1 / 8
    state = {"adversarial": x.clone()}
    for p in net.parameters():
        p.requires_grad_(False)

    def pgd():
        adversarial = state["adversarial"].requires_grad_(True)
        (gradient,) = torch.autograd.grad(loss_of(net(adversarial), y), adversarial)
        with torch.no_grad():
            stepped = adversarial + step_size * gradient.sign()
            state["adversarial"] = (x + (stepped - x).clamp(-epsilon, epsilon)).clamp(0, 1)

    cases.append({"model": name, "step": "pgd", "ms": median_ms(pgd)})

print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "cases": cases}))
