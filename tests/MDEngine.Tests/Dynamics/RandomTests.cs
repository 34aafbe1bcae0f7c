using MDEngine.Dynamics;

namespace MDEngine.Tests.Dynamics;

public class RandomTests
{
    [Fact]
    public void FirstOutputsMatchTheReferenceImplementation()
    {
        // xoshiro256** from state {1, 2, 3, 4} (reference C code by Blackman & Vigna): 11520, 0, 1509978240, 1215971899390074240.
        var r = new Xoshiro256StarStar(0);
        typeof(Xoshiro256StarStar).GetField("_s0", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.SetValue(r, 1UL);
        typeof(Xoshiro256StarStar).GetField("_s1", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.SetValue(r, 2UL);
        typeof(Xoshiro256StarStar).GetField("_s2", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.SetValue(r, 3UL);
        typeof(Xoshiro256StarStar).GetField("_s3", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.SetValue(r, 4UL);
        Assert.Equal([11520UL, 0UL, 1509978240UL, 1215971899390074240UL], new[] { r.NextUInt64(), r.NextUInt64(), r.NextUInt64(), r.NextUInt64() });
    }

    [Fact]
    public void SavedStateIncludingTheSpareGaussianReproducesTheStream()
    {
        var a = new Xoshiro256StarStar(123);
        a.NextGaussian(); // leaves a spare
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) a.Write(w);
        var b = new Xoshiro256StarStar(999);
        buffer.Position = 0;
        using (var r = new BinaryReader(buffer)) b.Read(r);
        for (int i = 0; i < 101; i++) Assert.Equal(a.NextGaussian(), b.NextGaussian());
    }

    [Fact]
    public void GaussianMomentsAreStandard()
    {
        var r = new Xoshiro256StarStar(7);
        const int n = 200000;
        double sum = 0, sum2 = 0, sum4 = 0;
        for (int i = 0; i < n; i++) { double g = r.NextGaussian(); sum += g; sum2 += g * g; sum4 += g * g * g * g; }
        Assert.InRange(sum / n, -0.01, 0.01);          // standard error 0.0022
        Assert.InRange(sum2 / n, 0.985, 1.015);        // standard error 0.0032
        Assert.InRange(sum4 / n, 2.93, 3.07);          // standard error 0.022
    }
}
