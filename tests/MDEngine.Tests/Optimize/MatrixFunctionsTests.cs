using MDEngine.Geometry;
using MDEngine.Optimize;

namespace MDEngine.Tests.Optimize;

public class MatrixFunctionsTests
{
    private static Mat3 RandomMatrix(Random rng, double scale)
    {
        var m = new Mat3();
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) m[i, j] = scale * (2 * rng.NextDouble() - 1);
        return m;
    }

    [Fact]
    public void Exp_of_a_rotation_generator_is_the_rotation()
    {
        double t = 0.7;
        var generator = new Mat3(0, -t, 0, t, 0, 0, 0, 0, 0);
        var rotation = new Mat3(Math.Cos(t), -Math.Sin(t), 0, Math.Sin(t), Math.Cos(t), 0, 0, 0, 1);
        Assert.True((MatrixFunctions.Exp(generator) - rotation).MaxAbs() < 1e-14);
        // A large argument goes through scaling and squaring.
        var big = Mat3.Diagonal(3.0, -2.0, 0.5);
        Assert.True((MatrixFunctions.Exp(big) - Mat3.Diagonal(Math.Exp(3), Math.Exp(-2), Math.Exp(0.5))).MaxAbs() < 1e-12);
    }

    [Fact]
    public void Log_inverts_exp()
    {
        var rng = new Random(11);
        for (int trial = 0; trial < 20; trial++)
        {
            var u = RandomMatrix(rng, 0.4);
            Assert.True((MatrixFunctions.Log(MatrixFunctions.Exp(u)) - u).MaxAbs() < 1e-12);
        }
    }

    [Fact]
    public void Frechet_derivative_matches_finite_differences()
    {
        var rng = new Random(5);
        for (int trial = 0; trial < 5; trial++)
        {
            var a = RandomMatrix(rng, 0.5);
            var e = RandomMatrix(rng, 1.0);
            double h = 1e-5;
            var numeric = (1 / (2 * h)) * (MatrixFunctions.Exp(a + h * e) - MatrixFunctions.Exp(a - h * e));
            Assert.True((MatrixFunctions.ExpFrechet(a, e) - numeric).MaxAbs() < 1e-8);
        }
    }
}
