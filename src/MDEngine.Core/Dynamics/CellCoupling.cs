namespace MDEngine.Dynamics;

/// <summary>How a barostat lets the cell change: its volume only (shape kept), or all six independent components
/// of a triclinic cell (lengths and angles).</summary>
public enum CellCoupling
{
    Isotropic,
    Anisotropic,
}
