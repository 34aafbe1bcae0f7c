using System.Numerics;
using System.Runtime.CompilerServices;

namespace MDEngine.ML.Kernels;

/// <summary>
/// A vector-valued function of one variable, f: [0, x_max] → R^outputs, as a uniform cubic Hermite spline, on the CPU,
/// forward and reverse. Knots x_k = k·Δ (k = 0..K) carry the values y_k = f(x_k) and the tangents t_k = Δ·f'(x_k);
/// a point x lies in interval k = ⌊x/Δ⌋ (clamped to [0, K−1]) at u = x/Δ − k, where
/// f(x) ≈ h00(u) y_k + h10(u) t_k + h01(u) y_{k+1} + h11(u) t_{k+1}
/// with the Hermite basis h00 = (1+2u)(1−u)², h10 = u(1−u)², h01 = u²(3−2u), h11 = u²(u−1). The spline is C¹ and
/// its error is O(Δ⁴) in the values and O(Δ³) in the derivative. x is clamped to [0, x_max]: beyond the last knot the
/// spline is its end value. Rows are independent: each thread takes a contiguous range of them, and the loop over
/// the outputs is a SIMD loop.
/// </summary>
internal sealed unsafe class HermiteSplineKernel<T> where T : unmanaged, INumber<T>
{
    private readonly T[] _values;   // [K + 1, Outputs]: y_k
    private readonly T[] _tangents; // [K + 1, Outputs]: Δ·f'(x_k), the slope per unit of u

    public int Intervals { get; }
    public int Outputs { get; }
    public double Spacing { get; }

    /// <param name="values">f(x_k), [intervals + 1, outputs] row-major, float64.</param>
    /// <param name="slopes">f'(x_k), the same shape.</param>
    /// <param name="spacing">Δ, the distance between knots.</param>
    public HermiteSplineKernel(double[] values, double[] slopes, int intervals, int outputs, double spacing)
    {
        if (intervals < 1) throw new ArgumentException("a spline needs at least one interval");
        long size = (long)(intervals + 1) * outputs;
        if (values.LongLength != size || slopes.LongLength != size) throw new ArgumentException($"knot tables need {size} values");
        Intervals = intervals; Outputs = outputs; Spacing = spacing;
        _values = values.Select(T.CreateChecked).ToArray();
        _tangents = slopes.Select(s => T.CreateChecked(s * spacing)).ToArray();
    }

    /// <summary>y [rows, Outputs] ← f(x) for x [rows].</summary>
    public void Forward(T* x, T* y, int rows, int threads)
    {
        nint px = (nint)x, py = (nint)y;
        CpuParallel.ForRanges(rows, threads, (start, end) => ForwardRange((T*)px, (T*)py, start, end));
    }

    /// <summary>Reverse pass: gx [rows] ← Σ_j gy[row, j]·∂f_j/∂x for x [rows], gy = ∂L/∂y [rows, Outputs].</summary>
    public void Backward(T* x, T* gy, T* gx, int rows, int threads)
    {
        nint px = (nint)x, pgy = (nint)gy, pgx = (nint)gx;
        CpuParallel.ForRanges(rows, threads, (start, end) => BackwardRange((T*)px, (T*)pgy, (T*)pgx, start, end));
    }

    /// <summary>The interval of a point and its position u ∈ [0, 1] in it; outside [0, x_max], the nearer end knot
    /// and <c>Inside</c> false (a NaN goes to the first knot: the caller makes it NaN again).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (int Interval, double U, bool Inside) Locate(T x)
    {
        double s = double.CreateTruncating(x) / Spacing;
        bool inside = s >= 0 && s <= Intervals;
        if (!(s >= 0)) s = 0;
        else if (s > Intervals) s = Intervals;
        int k = Math.Min((int)s, Intervals - 1);
        return (k, s - k, inside);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: optimised from the first call
    private void ForwardRange(T* x, T* y, int start, int end)
    {
        int n = Outputs, vector = Vector<T>.Count, vectorEnd = n - n % vector;
        fixed (T* values = _values, tangents = _tangents)
        {
            for (int row = start; row < end; row++)
            {
                var (k, u, _) = Locate(x[row]);
                if (T.IsNaN(x[row])) u = double.NaN; // a bad length gives bad weights, never plausible ones
                double v = 1 - u;
                T h00 = T.CreateTruncating((1 + 2 * u) * v * v), h10 = T.CreateTruncating(u * v * v);
                T h01 = T.CreateTruncating(u * u * (3 - 2 * u)), h11 = T.CreateTruncating(-u * u * v);
                T* y0 = values + (long)k * n, y1 = y0 + n, t0 = tangents + (long)k * n, t1 = t0 + n, target = y + (long)row * n;
                var a = new Vector<T>(h00); var b = new Vector<T>(h10); var c = new Vector<T>(h01); var d = new Vector<T>(h11);
                for (int j = 0; j < vectorEnd; j += vector)
                    (a * Vector.Load(y0 + j) + b * Vector.Load(t0 + j) + c * Vector.Load(y1 + j) + d * Vector.Load(t1 + j)).Store(target + j);
                for (int j = vectorEnd; j < n; j++) target[j] = h00 * y0[j] + h10 * t0[j] + h01 * y1[j] + h11 * t1[j];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: optimised from the first call
    private void BackwardRange(T* x, T* gy, T* gx, int start, int end)
    {
        int n = Outputs, vector = Vector<T>.Count, vectorEnd = n - n % vector;
        fixed (T* values = _values, tangents = _tangents)
        {
            for (int row = start; row < end; row++)
            {
                var (k, u, inside) = Locate(x[row]);
                if (!inside) { gx[row] = T.IsNaN(x[row]) ? x[row] : T.Zero; continue; } // the clamped spline is flat outside
                // dh/du of the four basis functions; dx = Δ du.
                T d00 = T.CreateTruncating(6 * u * (u - 1)), d10 = T.CreateTruncating((1 - u) * (1 - 3 * u));
                T d01 = T.CreateTruncating(6 * u * (1 - u)), d11 = T.CreateTruncating(u * (3 * u - 2));
                T* y0 = values + (long)k * n, y1 = y0 + n, t0 = tangents + (long)k * n, t1 = t0 + n, g = gy + (long)row * n;
                var a = new Vector<T>(d00); var b = new Vector<T>(d10); var c = new Vector<T>(d01); var d = new Vector<T>(d11);
                var sum = Vector<T>.Zero;
                for (int j = 0; j < vectorEnd; j += vector)
                    sum += Vector.Load(g + j) * (a * Vector.Load(y0 + j) + b * Vector.Load(t0 + j) + c * Vector.Load(y1 + j) + d * Vector.Load(t1 + j));
                T total = Vector.Sum(sum);
                for (int j = vectorEnd; j < n; j++) total += g[j] * (d00 * y0[j] + d10 * t0[j] + d01 * y1[j] + d11 * t1[j]);
                gx[row] = T.CreateTruncating(double.CreateTruncating(total) / Spacing);
            }
        }
    }
}
