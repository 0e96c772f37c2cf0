# %% [markdown]
# # Exercise: torch.export reproduces a model's outputs
#
# torch.export.export captures the model as one graph (an ExportedProgram);
# saved to a .pt2 file and loaded back, it computes the same outputs as the
# model in Python. By default the graph is specialised to the example input's
# shapes: another batch size is refused unless the batch dimension was
# declared dynamic with torch.export.Dim.

# %%
import tempfile
from pathlib import Path

import torch
from torch import nn

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 3)).to(device)
model.eval()  # inference mode: dropout off
x_test = torch.randn(8, 10, device=device)

static = torch.export.export(model, (x_test,))
batch = torch.export.Dim("batch", min=1, max=1024)
dynamic = torch.export.export(model, (x_test,), dynamic_shapes=({0: batch},))

with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "model.pt2"
    torch.export.save(dynamic, path)
    loaded = torch.export.load(path).module()

with torch.no_grad():
    expected = model(x_test)
    static_gap = (static.module()(x_test) - expected).abs().max().item()
    loaded_gap = (loaded(x_test) - expected).abs().max().item()
    x_other = torch.randn(5, 10, device=device)
    other_batch_gap = (loaded(x_other) - model(x_other)).abs().max().item()
    try:
        static.module()(x_other)
        static_refuses_other_batch = 0
    except AssertionError as error:  # the exported module checks the input shapes
        static_refuses_other_batch = 1
        print(f"static export, batch of 5: {type(error).__name__}: {str(error).splitlines()[0]}")

print(
    f"static_gap={static_gap:.1e} loaded_gap={loaded_gap:.1e} other_batch_gap={other_batch_gap:.1e} "
    f"static_refuses_other_batch={static_refuses_other_batch}"
)
