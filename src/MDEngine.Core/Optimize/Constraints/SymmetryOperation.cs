using MDEngine.Geometry;

namespace MDEngine.Optimize.Constraints;

/// <summary>A space-group operation in fractional coordinates of a given cell: x' = R x + t, with R an integer
/// 3×3 matrix acting on column vectors of fractional coordinates (spglib's convention) and t a fractional
/// translation.</summary>
public readonly record struct SymmetryOperation(int[,] Rotation, Vec3 Translation)
{
    public Vec3 Apply(Vec3 f) => Rotate(f) + Translation;

    public Vec3 Rotate(Vec3 f) => new(
        Rotation[0, 0] * f.X + Rotation[0, 1] * f.Y + Rotation[0, 2] * f.Z,
        Rotation[1, 0] * f.X + Rotation[1, 1] * f.Y + Rotation[1, 2] * f.Z,
        Rotation[2, 0] * f.X + Rotation[2, 1] * f.Y + Rotation[2, 2] * f.Z);

    public Mat3 RotationMatrix => new(
        Rotation[0, 0], Rotation[0, 1], Rotation[0, 2],
        Rotation[1, 0], Rotation[1, 1], Rotation[1, 2],
        Rotation[2, 0], Rotation[2, 1], Rotation[2, 2]);
}
