using MDEngine.Potentials;
using MDEngine.Structures;

namespace MDEngine.Optimize;

/// <summary>
/// Generalized coordinates an optimizer moves: rows of three numbers (atom positions, and for a cell filter three
/// more rows for the cell). Optimizers see only this, so every optimizer relaxes cells without knowing it (the
/// design of ASE's filters). Setting coordinates applies the constraints; absorbing a potential result turns it
/// into the objective and generalized forces at the current coordinates.
/// </summary>
public interface IOptimizable
{
    /// <summary>The structure whose geometry the coordinates describe (changed in place).</summary>
    Structure Structure { get; }

    /// <summary>Number of 3-rows (atoms, plus 3 when the cell relaxes).</summary>
    int Rows { get; }

    /// <summary>Incremented on every <see cref="SetCoordinates"/>, so a caller knows when results went stale.</summary>
    int Version { get; }

    /// <summary>What the potential must compute for <see cref="Absorb"/>.</summary>
    Quantities Needs { get; }

    double[] GetCoordinates();

    void SetCoordinates(ReadOnlySpan<double> coordinates);

    Evaluation Absorb(PotentialResult result);
}
