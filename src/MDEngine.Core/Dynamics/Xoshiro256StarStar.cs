namespace MDEngine.Dynamics;

/// <summary>
/// xoshiro256** (Blackman &amp; Vigna 2018): a small, fast generator whose whole state is four 64-bit words, so a
/// checkpoint can save it and a restarted run draws exactly the numbers the uninterrupted run would have drawn.
/// Seeded through SplitMix64 as its authors recommend. Gaussian numbers come from the Box–Muller transform in pairs;
/// the spare one is part of the state.
/// </summary>
public sealed class Xoshiro256StarStar
{
    private ulong _s0, _s1, _s2, _s3;
    private bool _hasSpare;
    private double _spare;

    public Xoshiro256StarStar(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x); _s1 = SplitMix64(ref x); _s2 = SplitMix64(ref x); _s3 = SplitMix64(ref x);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong Rotl(ulong x, int k) => (x << k) | (x >> (64 - k));

    public ulong NextUInt64()
    {
        ulong result = Rotl(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = Rotl(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal deviate (Box–Muller).</summary>
    public double NextGaussian()
    {
        if (_hasSpare) { _hasSpare = false; return _spare; }
        // 1 − U lies in (0, 1], so the logarithm is finite.
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        double angle = 2.0 * Math.PI * u2;
        _spare = radius * Math.Sin(angle);
        _hasSpare = true;
        return radius * Math.Cos(angle);
    }

    /// <summary>Sum of n squared standard normal deviates (a χ² variate with n degrees of freedom).</summary>
    public double NextChiSquared(int n)
    {
        double sum = 0;
        for (int i = 0; i < n; i++) { double g = NextGaussian(); sum += g * g; }
        return sum;
    }

    public void Write(BinaryWriter w)
    {
        w.Write(_s0); w.Write(_s1); w.Write(_s2); w.Write(_s3); w.Write(_hasSpare); w.Write(_spare);
    }

    public void Read(BinaryReader r)
    {
        _s0 = r.ReadUInt64(); _s1 = r.ReadUInt64(); _s2 = r.ReadUInt64(); _s3 = r.ReadUInt64();
        _hasSpare = r.ReadBoolean(); _spare = r.ReadDouble();
    }
}
