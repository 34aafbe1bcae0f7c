using MDEngine.Structures;

namespace MDEngine.IO;

/// <summary>A trajectory file written frame by frame (extended XYZ, LAMMPS dump): each frame is complete on disk
/// when <see cref="Write"/> returns.</summary>
public interface IFrameWriter : IDisposable
{
    void Write(Structure structure);

    int FramesWritten { get; }
}
