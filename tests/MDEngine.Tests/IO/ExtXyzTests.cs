using MDEngine.Geometry;
using MDEngine.IO;
using MDEngine.Structures;

namespace MDEngine.Tests.IO;

public class ExtXyzTests
{
    [Fact]
    public void ReadsAseMultiFrameFileAsAseDoes()
    {
        var frames = StructureFile.Read(IoReference.PathOf("multi.extxyz"));
        var expected = IoReference.Frames("multi.extxyz");
        Assert.Equal(expected.Length, frames.Count);
        for (int f = 0; f < frames.Count; f++) IoReference.AssertMatches(expected[f], frames[f]);

        var cu = frames[0];
        var e = expected[0];
        Assert.Equal(e.GetProperty("energy").GetDouble(), cu.Energy);
        IoReference.AssertClose(IoReference.Reals(e.GetProperty("stress_voigt")), VoigtOf(cu.Stress!.Value), 1e-15, "stress");
        IoReference.AssertClose(IoReference.Reals(e.GetProperty("forces")), Structure.FromVec3(cu.Forces!), 1e-15, "forces");
        // ASE momenta → Å/fs velocities; the file has 8 decimals of momentum, so compare with ASE's own reading.
        IoReference.AssertClose(IoReference.Reals(e.GetProperty("velocities_A_per_fs")), Structure.FromVec3(cu.Velocities!), 1e-13, "velocities");
        Assert.Equal(3L, cu.Info["step"]);
        Assert.Equal(301.25, cu.Info["temperature"]);
        Assert.Equal("relaxed with care", cu.Info["note"]);
        Assert.Equal(new[] { true, false, true }, cu.Info["flags"]);
        Assert.Equal(new long[] { 4, 4, 4 }, cu.Info["kpts"]);
        Assert.Equal(new[] { 0.5, 1.25e-7, 3.0 }, cu.Info["weights"]);
        Assert.Equal(Enumerable.Range(0, 8).ToArray(), cu.Arrays["tag_int"].Data);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => i % 2 == 0).ToArray(), cu.Arrays["flag"].Data);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"x{i}").ToArray(), cu.Arrays["label"].Data);
        IoReference.AssertClose(IoReference.Reals(e.GetProperty("arrays").GetProperty("vec2")), cu.Arrays["vec2"].AsReal, 1e-15, "vec2");
        Assert.Equal(2, cu.Arrays["vec2"].Columns);

        Assert.Equal(new Pbc(true, true, false), frames[1].Pbc);
        Assert.Equal(-7.0, frames[1].Energy);
        Assert.False(frames[2].Pbc.Any);
        Assert.True(frames[2].Cell.IsEmpty);
    }

    [Fact]
    public void ReadsLatticeVectorsGivenAsPseudoAtoms()
    {
        var s = StructureFile.ReadFrame(IoReference.PathOf("vec_cell.extxyz"));
        IoReference.AssertMatches(IoReference.Frames("vec_cell.extxyz")[0], s);
        Assert.Equal(new Pbc(true, true, false), s.Pbc);
        var e = Assert.Throws<InputException>(() => ExtXyzReader.ReadAll(new StringReader("1\n\nH 0 0 0\nVEC2 1 0 0\n"), "v.xyz"));
        Assert.Equal(4, e.Line);
        Assert.Contains("expected VEC1", e.Message);
    }

    [Fact]
    public void ReadFrameCountsFromTheEnd()
    {
        var last = StructureFile.ReadFrame(IoReference.PathOf("multi.extxyz"));
        Assert.Equal("H2O", last.Formula);
        Assert.Equal("Cu8", StructureFile.ReadFrame(IoReference.PathOf("multi.extxyz"), 0).Formula);
        Assert.Throws<InputException>(() => StructureFile.ReadFrame(IoReference.PathOf("multi.extxyz"), 3));
    }

    [Fact]
    public void ReadsPlainXyzWithItsComment()
    {
        var s = StructureFile.ReadFrame(IoReference.PathOf("methane.xyz"));
        IoReference.AssertMatches(IoReference.Frames("methane.xyz")[0], s);
        Assert.Equal("methane molecule", s.Info["comment"]);
        Assert.Equal("CH4", s.Formula);
    }

    [Fact]
    public void WrittenFramesReadBackBitForBit()
    {
        var frames = StructureFile.Read(IoReference.PathOf("multi.extxyz"));
        var cu = frames[0];
        cu.SetPositions(cu.Positions.Select(p => p + new Vec3(1.0 / 3, Math.PI * 1e-9, -1e-17)).ToArray());
        string path = Path.Combine(Path.GetTempPath(), $"mdengine-roundtrip-{Guid.NewGuid():N}.extxyz");
        try
        {
            StructureFile.Write(path, frames);
            var back = StructureFile.Read(path);
            Assert.Equal(frames.Count, back.Count);
            for (int f = 0; f < frames.Count; f++)
            {
                Assert.Equal(frames[f].Numbers, back[f].Numbers);
                Assert.Equal(frames[f].Positions, back[f].Positions);
                Assert.Equal(frames[f].Cell, back[f].Cell);
                Assert.Equal(frames[f].Pbc, back[f].Pbc);
                Assert.Equal(frames[f].Masses, back[f].Masses);
                Assert.Equal(frames[f].Info.Keys, back[f].Info.Keys);
                foreach (var (k, v) in frames[f].Info) Assert.Equal(v, back[f].Info[k]);
                Assert.Equal(frames[f].Arrays.Keys, back[f].Arrays.Keys);
                foreach (var (k, v) in frames[f].Arrays) Assert.Equal(v.Data, back[f].Arrays[k].Data);
            }
            // Velocities pass through ASE momenta (v·m/fs, then p/m·fs): equal to the last bits or one ulp off.
            for (int i = 0; i < cu.Count; i++)
                Assert.True((cu.Velocities![i] - back[0].Velocities![i]).Length <= 4e-16 * cu.Velocities[i].Length);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void WriterAppendsAndFlushesEachFrame()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mdengine-traj-{Guid.NewGuid():N}.extxyz");
        try
        {
            var s = StructureFile.ReadFrame(IoReference.PathOf("multi.extxyz"), 1);
            using (var writer = new ExtXyzWriter(path))
            {
                writer.Write(s);
                // Readable while the writer is still open: the frame was flushed.
                using (var peek = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
                using (var text = new StreamReader(peek))
                    Assert.Single(ExtXyzReader.ReadAll(text, path));
                s.Energy = -8.5;
                writer.Write(s);
                Assert.Equal(2, writer.FramesWritten);
            }
            var back = StructureFile.Read(path);
            Assert.Equal(2, back.Count);
            Assert.Equal(-8.5, back[1].Energy);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void CommentLineFollowsAseParsingRules()
    {
        var info = KeyValueLine.Parse("a=1 b=2.5 c=T d=F e=\"1 2 3\" f={1.0 2 3} g='x y' h i=True j=\"T F T\" k=hello l=\"with \\\"quote\\\"\" m=1e3 n=1,2");
        Assert.Equal(1L, info["a"]);
        Assert.Equal(2.5, info["b"]);
        Assert.Equal(true, info["c"]);
        Assert.Equal(false, info["d"]);
        Assert.Equal(new long[] { 1, 2, 3 }, info["e"]);
        Assert.Equal(new[] { 1.0, 2, 3 }, info["f"]);
        Assert.Equal("x y", info["g"]);
        Assert.Equal(true, info["h"]);
        Assert.Equal("True", info["i"]); // ASE turns only T and F into booleans on the comment line
        Assert.Equal(new[] { true, false, true }, info["j"]);
        Assert.Equal("hello", info["k"]);
        Assert.Equal("with \"quote\"", info["l"]);
        Assert.Equal(1000.0, info["m"]);
        Assert.Equal(new long[] { 1, 2 }, info["n"]);
    }

    [Fact]
    public void WrittenValuesParseBackToTheSameTypes()
    {
        foreach (object value in new object[] { 1.0, -10.0, 1e-300, 3L, true, "a b \"c\"", new[] { 1.5, 2.0 }, new long[] { 1, 2 }, new[] { true, false }, new[] { "x", "y z" }, "", "quote \" and \\ backslash" })
        {
            string line = "key=" + KeyValueLine.FormatValue(value);
            Assert.Equal(value, KeyValueLine.Parse(line + " next=1")["key"]);
        }
        Assert.Throws<ArgumentException>(() => KeyValueLine.FormatValue("two\nlines"));
    }

    [Fact]
    public void VelocitiesColumnIsInAseUnitsAndMassesColumnIsUsed()
    {
        const string text = "2\nProperties=species:S:1:pos:R:3:velocities:R:3:masses:R:1 pbc=F\nH 0 0 0 1 0 0 2.0\nD 0 0 1 0 0 0 2.0\n";
        var e = Assert.Throws<InputException>(() => ExtXyzReader.ReadAll(new StringReader(text), "v.extxyz"));
        Assert.Equal(4, e.Line); // no element D
        var s = Assert.Single(ExtXyzReader.ReadAll(new StringReader(text.Replace("D 0", "h 0")), "v.extxyz"));
        Assert.Equal(new Vec3(AseUnits.Femtosecond, 0, 0), s.Velocities![0]);
        Assert.Equal(new[] { 2.0, 2.0 }, s.Masses);
        Assert.Equal(new[] { 1, 1 }, s.Numbers);
        Assert.Empty(s.Arrays);
    }

    [Fact]
    public void ReadFrameSkipsOtherFramesButChecksTheirLength()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mdengine-frames-{Guid.NewGuid():N}.extxyz");
        try
        {
            File.WriteAllText(path, "1\n\nH 0 0 0\n1\n\nHe 0 0 0\n2\n\nLi 0 0 0\n");
            Assert.Equal("H", StructureFile.ReadFrame(path, 0).Formula);
            var e = Assert.Throws<InputException>(() => StructureFile.ReadFrame(path, -1));
            Assert.Equal(10, e.Line);
            File.WriteAllText(path, "1\n\nH 0 0 0\n1\n\nHe 0 0 0\n");
            Assert.Equal("He", StructureFile.ReadFrame(path).Formula);
            Assert.Equal("H", StructureFile.ReadFrame(path, -2).Formula);
            Assert.Throws<InputException>(() => StructureFile.ReadFrame(path, -3));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void GzipFilesAreReadAndWritten()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mdengine-{Guid.NewGuid():N}.extxyz.gz");
        try
        {
            var frames = StructureFile.Read(IoReference.PathOf("multi.extxyz"));
            StructureFile.Write(path, frames);
            using (var raw = File.OpenRead(path)) Assert.Equal(0x1f, raw.ReadByte()); // gzip magic
            var back = StructureFile.Read(path);
            Assert.Equal(frames.Count, back.Count);
            Assert.Equal(frames[0].Positions, back[0].Positions);
            Assert.Equal("H2O", StructureFile.ReadFrame(path).Formula);
            File.WriteAllText(path, "not gzip");
            Assert.Throws<InputException>(() => StructureFile.Read(path));
            Assert.Throws<InputException>(() => StructureFile.ReadFrame(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void PbcMayBeWrittenAsOnesAndZeros()
    {
        var s = Assert.Single(ExtXyzReader.ReadAll(new StringReader("1\nLattice=\"2 0 0 0 2 0 0 0 2\" pbc=\"1 1 0\"\nH 0 0 0\n"), "p.extxyz"));
        Assert.Equal(new Pbc(true, true, false), s.Pbc);
    }

    [Fact]
    public void AseTimeUnitIsCodata2014()
    {
        Assert.Equal(0.09822694788464063, AseUnits.Femtosecond);
    }

    private static double[] VoigtOf(Mat3 m) => [m.M00, m.M11, m.M22, m.M12, m.M02, m.M01];
}
