using static TorchSharp.torch;

namespace MDEngine.ML.Kernels;

/// <summary>
/// Evaluates a row-wise function — one whose output row r depends only on row r of each input (a per-node or per-edge
/// stage: linear layers, activations, layout changes, the symmetric contraction, the radial networks) — on one
/// contiguous range of rows per thread (<see cref="CpuParallel"/>), forward and reverse. Each thread runs torch on its
/// rows on one thread and keeps the autograd graph of its rows; the reverse pass takes each range's gradient through
/// its own graph, in parallel. The results are those of f on all rows at once up to the round-off of the matrix
/// products' blocking. Outside <see cref="CpuParallel.OwnThreads"/>, or off the CPU, f runs on all rows as it is.
/// </summary>
public static class RowParallel
{
    /// <summary>A row-wise function of its inputs' rows [start, start + length) (the rows it is given).</summary>
    public delegate Tensor RowFunction(Tensor[] rows, int start, int length);

    /// <param name="stage">The stage's name for <see cref="StageClock"/> (its reverse pass is "reverse: stage").</param>
    /// <param name="f">The function; inputs[0] sets the row count.</param>
    /// <param name="inputs">Tensors with one row per item (indices and other non-differentiable inputs included).</param>
    /// <param name="minimumRows">Below this many rows f runs on all rows at once.</param>
    public static Tensor Apply(string stage, RowFunction f, Tensor[] inputs, int minimumRows = 16)
    {
        long rows = inputs[0].shape[0];
        if (!CpuParallel.Owned || CpuParallel.InSection || rows < minimumRows || inputs[0].device_type != TorchSharp.DeviceType.CPU)
            return f(inputs, 0, checked((int)rows));
        int threads = CpuParallel.Threads, count = CpuParallel.RangeCount((int)rows, threads);
        // One range: nothing to split, unless a profile wants the stage's reverse pass timed apart.
        if (count == 1 && !StageClock.Recording) return f(inputs, 0, (int)rows);
        if (!is_grad_enabled() || !inputs.Any(t => t.requires_grad))
        {
            if (count == 1) return f(inputs, 0, (int)rows);
            var pieces = new Tensor[count];
            CpuParallel.For(pieces.Length, k =>
            {
                var (start, length) = CpuParallel.RangeOf((int)rows, pieces.Length, k);
                pieces[k] = OnThread(() => f(inputs.Select(t => t.narrow(0, start, length)).ToArray(), start, length), grad: false);
            });
            var whole = Concatenate(pieces);
            foreach (var piece in pieces) piece.Dispose();
            return whole;
        }
        return RowParallelFunction.apply([f, threads, stage, .. inputs]);
    }

    /// <summary>The pieces one after the other along rows, each copied by its own thread: the radial networks' output is
    /// 15 MB in float64 for 64 atoms, whose copy (and the first touch of its fresh pages) would otherwise be serial.</summary>
    private static Tensor Concatenate(Tensor[] pieces)
    {
        var first = pieces[0];
        var shape = first.shape.ToArray();
        shape[0] = pieces.Sum(p => p.shape[0]);
        var whole = empty(shape, dtype: first.dtype, device: first.device);
        var starts = new long[pieces.Length];
        for (int k = 1; k < pieces.Length; k++) starts[k] = starts[k - 1] + pieces[k - 1].shape[0];
        CpuParallel.For(pieces.Length, k =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            whole.narrow(0, starts[k], pieces[k].shape[0]).copy_(pieces[k]);
        });
        return whole;
    }

    /// <summary>body with torch on one thread and autograd on or off (<see cref="CpuParallel.OnSectionThread"/>); what it
    /// returns belongs to the caller, who disposes it.</summary>
    private static Tensor OnThread(Func<Tensor> body, bool grad) => CpuParallel.OnSectionThread(body, grad);

    /// <summary>What a range keeps between the passes: its inputs (the leaves of its own graph) and its output.</summary>
    private sealed record RangeGraph(int Start, int Length, Tensor[] Inputs, Tensor Output);

    private sealed record SavedState(string Stage, RangeGraph[] Ranges, bool[] Differentiable, long[][] Shapes, ScalarType[] DTypes);

    private sealed class RowParallelFunction : autograd.SingleTensorFunction<RowParallelFunction>
    {
        public override string Name => "RowParallel";

        /// <summary>vars: f, threads, the stage's name, then the inputs.</summary>
        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var f = (RowFunction)vars[0]; int threads = (int)vars[1]; var stage = (string)vars[2];
            var inputs = vars[3..].Cast<Tensor>().ToArray();
            int rows = (int)inputs[0].shape[0];
            var differentiable = inputs.Select(t => t.requires_grad).ToArray();
            var ranges = new RangeGraph[CpuParallel.RangeCount(rows, threads)];
            CpuParallel.For(ranges.Length, k =>
            {
                var (start, length) = CpuParallel.RangeOf(rows, ranges.Length, k);
                Tensor[] leaves = [];
                var output = OnThread(() =>
                {
                    leaves = inputs.Select((t, i) =>
                    {
                        var leaf = t.narrow(0, start, length).detach();
                        if (differentiable[i]) leaf.requires_grad_(true);
                        return leaf.DetachFromDisposeScope();
                    }).ToArray();
                    return f(leaves, start, length);
                }, grad: true);
                ranges[k] = new RangeGraph(start, length, leaves, output);
            });
            ctx.save_data("state", new SavedState(stage, ranges, differentiable, inputs.Select(t => t.shape).ToArray(), inputs.Select(t => t.dtype).ToArray()));
            return ranges.Length == 1 ? ranges[0].Output.detach() : Concatenate(ranges.Select(r => r.Output).ToArray());
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            StageClock.Mark("reverse: other");
            var (stage, ranges, differentiable, shapes, dtypes) = (SavedState)ctx.get_data("state");
            var gy = gradOutput.contiguous();
            var gradients = shapes.Select((s, i) => differentiable[i] ? empty(s, dtypes[i]) : null).ToArray();
            CpuParallel.For(ranges.Length, k =>
            {
                var r = ranges[k];
                var wrt = r.Inputs.Where((_, i) => differentiable[i]).ToArray();
                OnThread(() =>
                {
                    var g = autograd.grad([r.Output], wrt, [gy.narrow(0, r.Start, r.Length)], allow_unused: true);
                    for (int i = 0, j = 0; i < gradients.Length; i++)
                    {
                        if (!differentiable[i]) continue;
                        var target = gradients[i]!.narrow(0, r.Start, r.Length);
                        if (g[j] is { } gi && !gi.IsInvalid) target.copy_(gi); else target.zero_();
                        j++;
                    }
                    return empty(0);
                }, grad: false).Dispose();
                foreach (var t in r.Inputs) t.Dispose();
                r.Output.Dispose();
            });
            StageClock.Mark($"reverse: {stage}");
            return [null!, null!, null!, .. gradients.Select(g => g!)];
        }
    }
}
