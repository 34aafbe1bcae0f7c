using static TorchSharp.torch;

namespace MDEngine.ML.Training;

/// <summary>mace-torch's loss names: "weighted" (energy and forces), "stress" (energy, forces and stress), "virials"
/// (energy, forces and virials per atom), "huber" (energy, forces and stress, Huber instead of squares).</summary>
public enum LossKind { Weighted, Stress, Virials, Huber }

/// <summary>
/// The loss mace-torch trains with (mace.modules.loss):
/// <list type="bullet">
/// <item>weighted: w_E·mean_g[c_g e_g ((E_ref − E)/N_g)²] + w_F·mean_{i,α}[c f (F_ref − F)²]
/// (+ w_σ·mean_{g,a,b}[c s (σ_ref − σ)²] for "stress", + w_V·mean_{g,a,b}[c v ((W_ref − W)/N_g)²] for "virials", with
/// W = −σV), the energy error per atom before squaring, the forces averaged
/// over all 3N components of the batch; c the configuration's weight, e/f/s the per-property weights (0 for a missing
/// label);</item>
/// <item>huber: the same three terms as torch's huber_loss (mean reduction, threshold δ) of E/N, F and σ, without the
/// configuration weights (as mace-torch's WeightedHuberEnergyForcesStressLoss).</item>
/// </list>
/// </summary>
public sealed record WeightedLoss(LossKind Kind, double EnergyWeight, double ForcesWeight, double StressWeight = 1.0, double HuberDelta = 0.01)
{
    public bool UsesStress => Kind is LossKind.Stress or LossKind.Virials or LossKind.Huber;

    public Tensor Compute(ModelPrediction pred, BatchLabels refs)
    {
        var perAtom = refs.Weight.index_select(0, refs.NodeStructure).unsqueeze(1);
        if (Kind == LossKind.Huber)
        {
            var le = nn.functional.huber_loss(refs.Energy / refs.AtomCount, pred.Energy / refs.AtomCount, reduction: nn.Reduction.Mean, delta: HuberDelta);
            var lf = nn.functional.huber_loss(refs.Forces, pred.Forces, reduction: nn.Reduction.Mean, delta: HuberDelta);
            var ls = nn.functional.huber_loss(refs.Stress, pred.Stress!, reduction: nn.Reduction.Mean, delta: HuberDelta);
            return EnergyWeight * le + ForcesWeight * lf + StressWeight * ls;
        }
        var energy = (refs.Weight * refs.EnergyWeight * ((refs.Energy - pred.Energy) / refs.AtomCount).square()).mean();
        var forces = (perAtom * refs.ForcesWeight.index_select(0, refs.NodeStructure).unsqueeze(1) * (refs.Forces - pred.Forces).square()).mean();
        var loss = EnergyWeight * energy + ForcesWeight * forces;
        if (Kind == LossKind.Stress)
            loss += StressWeight * (refs.Weight.view(-1, 1, 1) * refs.StressWeight.view(-1, 1, 1) * (refs.Stress - pred.Stress!).square()).mean();
        if (Kind == LossKind.Virials) // (W_ref − W)/N = −(σ_ref − σ)·V/N
            loss += StressWeight * (refs.Weight.view(-1, 1, 1) * refs.StressWeight.view(-1, 1, 1)
                * ((refs.Stress - pred.Stress!) * refs.VolumePerAtom.view(-1, 1, 1)).square()).mean();
        return loss;
    }

    /// <summary>The stage-two loss: the same kind with new weights.</summary>
    public WeightedLoss WithWeights(double energy, double forces, double stress) => this with { EnergyWeight = energy, ForcesWeight = forces, StressWeight = stress };
}
