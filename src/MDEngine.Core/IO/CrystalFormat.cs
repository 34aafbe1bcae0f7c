using MDEngine.Structures;

namespace MDEngine.IO;

/// <summary>The check shared by the writers of formats that hold only crystals (CIF, POSCAR).</summary>
internal static class CrystalFormat
{
    /// <summary>Throws unless <paramref name="s"/> is a crystal: periodic along all three axes, non-singular cell.</summary>
    public static void Require(Structure s, string? fileName, string format)
    {
        if (!s.IsCrystal)
            throw new InputException(fileName, null, $"{format} holds crystals: the structure must be periodic along all three axes with a non-singular cell");
    }
}
