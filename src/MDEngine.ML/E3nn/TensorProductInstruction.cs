namespace MDEngine.ML.E3nn;

/// <summary>
/// One path of a <see cref="TensorProduct"/> (e3nn <c>o3/_tensor_product/_instruction.py</c>): block
/// <see cref="In1"/> of the first input times block <see cref="In2"/> of the second, coupled by the 3j symbol into
/// block <see cref="Out"/> of the output. <see cref="Mode"/> says which multiplicity channels meet:
/// "uvw" (every u with every v, mixed into every w), "uvu" (every u with every v, kept on u), "uvv" (kept on v),
/// "uuw" (u with the same u, mixed into w), "uuu" (u with the same u, kept on u). <see cref="PathWeight"/>
/// multiplies the path's normalisation coefficient α (under the square root, as e3nn does).
/// </summary>
public sealed record TensorProductInstruction(int In1, int In2, int Out, string Mode, bool HasWeight, double PathWeight = 1.0)
{
    public static readonly string[] Modes = ["uvw", "uvu", "uvv", "uuw", "uuu"];

    /// <summary>The shape of this path's weight: uvw [mul1, mul2, mul_out], uvu and uvv [mul1, mul2],
    /// uuw [mul1, mul_out], uuu [mul1].</summary>
    public int[] WeightShape(Irreps in1, Irreps in2, Irreps irrepsOut) => Mode switch
    {
        "uvw" => [in1[In1].Mul, in2[In2].Mul, irrepsOut[Out].Mul],
        "uvu" or "uvv" => [in1[In1].Mul, in2[In2].Mul],
        "uuw" => [in1[In1].Mul, irrepsOut[Out].Mul],
        "uuu" => [in1[In1].Mul],
        _ => throw new ArgumentException($"unknown connection mode '{Mode}' (one of {string.Join(", ", Modes)})"),
    };

    /// <summary>How many products feed one output element (e3nn's <c>num_elements</c>, used by the path
    /// normalisation): uvw mul1·mul2, uvu mul2, uvv mul1, uuw mul1, uuu 1.</summary>
    public int FanIn(Irreps in1, Irreps in2) => Mode switch
    {
        "uvw" => in1[In1].Mul * in2[In2].Mul,
        "uvu" => in2[In2].Mul,
        "uvv" or "uuw" => in1[In1].Mul,
        "uuu" => 1,
        _ => throw new ArgumentException($"unknown connection mode '{Mode}' (one of {string.Join(", ", Modes)})"),
    };
}

/// <summary>e3nn's <c>irrep_normalization</c>: the factor α starts at d_out ("component": every output component has
/// unit variance), d1·d2 ("norm": unit-variance norms) or 1 ("none").</summary>
public enum IrrepNormalization { Component, Norm, None }

/// <summary>e3nn's <c>path_normalization</c>: α is divided by the fan-in summed over all paths into the same output
/// ("element"), by this path's fan-in times the number of such paths ("path"), or not at all ("none").</summary>
public enum PathNormalization { Element, Path, None }
