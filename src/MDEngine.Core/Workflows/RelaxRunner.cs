using MDEngine.Dynamics;
using MDEngine.IO;
using MDEngine.Neighbors;
using MDEngine.Optimize;
using MDEngine.Optimize.Constraints;
using MDEngine.Potentials;
using MDEngine.Structures;
using MDEngine.Symmetry;

namespace MDEngine.Workflows;

/// <summary>
/// Relaxes structures as a library call (TorchSim's <c>runners.optimize</c>): checks the settings against the inputs
/// and refuses bad ones before any work, builds each structure's target (constraints, the cell filter when the cell
/// relaxes), relaxes all of them in one batch (one potential call per step for those still moving), keeps the right
/// state of each (<see cref="RelaxedStructure"/>), stamps it with <c>relax_converged</c> and <c>relax_steps</c>,
/// finds each structure's space group once before and once after, and writes the trajectory and the results.
/// </summary>
public static class RelaxRunner
{
    /// <param name="progress">Called at every accepted state: (structure index, step, evaluation).</param>
    public static RelaxReport Run(Potential potential, IReadOnlyList<LabeledStructure> inputs, RelaxSettings settings,
        Action<int, int, Evaluation>? progress = null)
    {
        var optimizer = Check(potential, inputs, settings);

        var before = new SymmetryDataset?[inputs.Count];
        var targets = new IOptimizable[inputs.Count];
        for (int b = 0; b < inputs.Count; b++)
        {
            var s = inputs[b].Structure;
            before[b] = SymmetryAnalyzer.Find(s, settings.Symprec);
            targets[b] = Target(s, before[b], settings);
        }

        var initial = new double?[inputs.Count];
        RelaxResult[] results;
        using (var trajectory = settings.TrajectoryPath is { } path ? new ExtXyzWriter(path) : null)
        {
            IRelaxObserver ObserverFor(int b) => new RelaxObserver((step, target, e) =>
            {
                if (step == 0) initial[b] = e.Energy;
                progress?.Invoke(b, step, e);
                if (trajectory is null) return;
                var frame = target.Structure.Clone();
                frame.Energy = e.Energy; frame.Forces = e.AtomForces; frame.Stress = e.Stress;
                frame.Info["relax_structure"] = (long)b;
                frame.Info["relax_step"] = (long)step;
                trajectory.Write(frame);
            });
            var options = new RelaxOptions { Fmax = settings.Fmax, MaxSteps = settings.MaxSteps };
            results = new BatchRelaxer(potential, settings.Skin).Run(targets, () => optimizer.Create(settings.LineSearch), options, ObserverFor);
        }

        var relaxed = new RelaxedStructure[inputs.Count];
        for (int b = 0; b < inputs.Count; b++)
        {
            var r = results[b];
            var keep = r.Converged ? r.Structure : r.Problem is not null ? r.LastFinite : r.Best;
            keep.Info["relax_converged"] = r.Converged;
            keep.Info["relax_steps"] = (long)r.Steps;
            // A run stopped before its first step by a non-finite number has no finite starting energy to report.
            double? start = r.Problem is null || r.Steps > 0 ? initial[b] : null;
            relaxed[b] = new RelaxedStructure(inputs[b].Label, keep, r, start,
                before[b]?.Label, before[b] is null ? null : SymmetryAnalyzer.Find(keep, settings.Symprec)?.Label ?? "not found");
        }
        if (settings.OutputPath is { } output)
            StructureFile.Write(output, relaxed.Select(r => r.Kept), StructureFile.ResolveFormat(output, settings.OutputFormat));
        return new RelaxReport(potential.Name, relaxed);
    }

    /// <summary>Refuses settings that do not fit the inputs, elements the potential does not cover and overlapping
    /// atoms, before anything is computed or written; returns the optimizer the settings name.</summary>
    public static OptimizerKind Check(Potential potential, IReadOnlyList<LabeledStructure> inputs, RelaxSettings settings)
    {
        var optimizer = CheckSettings(settings);
        if (settings.OutputPath is { } output && inputs.Count > 1
            && StructureFile.ResolveFormat(output, settings.OutputFormat) is var format && !StructureFile.MultiFrameFormats.Contains(format))
            throw new SettingsException($"{inputs.Count} structures to write but {format} holds one: write extxyz");
        foreach (var (label, s) in inputs)
        {
            if (settings.FixedAtoms.Count > 0 && settings.FixedAtoms.Max() >= s.Count)
                throw new SettingsException($"fixed atom {settings.FixedAtoms.Max()} does not exist in {label} ({s.Count} atoms)");
            if (settings.RelaxCell && !s.IsCrystal)
                throw new SettingsException($"cell relaxation: {label} is not periodic in all three directions");
            if (settings.KeepSymmetry && !s.IsCrystal)
                throw new SettingsException($"keeping symmetry: {label} is not periodic in all three directions");
        }
        foreach (var (label, s) in inputs)
        {
            potential.CheckCovers(s);
            CloseContacts.Require(s, label, settings.MinDistance, settings.MinDistanceHint);
        }
        return optimizer;
    }

    /// <summary>Refuses settings that contradict each other (no inputs needed: a caller checks them before reading
    /// any); returns the optimizer they name.</summary>
    public static OptimizerKind CheckSettings(RelaxSettings settings)
    {
        var optimizer = OptimizerRegistry.Find(settings.Optimizer)
            ?? throw new SettingsException($"optimizer {settings.Optimizer}: expected {OptimizerRegistry.Names}");
        if (settings.LineSearch && !optimizer.TakesLineSearch)
            throw new SettingsException($"a line search applies to {string.Join(" and ", OptimizerRegistry.All.Where(k => k.TakesLineSearch).Select(k => k.Name))}");
        if (!(settings.Fmax > 0)) throw new SettingsException("fmax must be positive");
        if (settings.MaxSteps < 0) throw new SettingsException("the step limit must not be negative");
        if (!settings.RelaxCell && (settings.PressureGPa != 0 || settings.Hydrostatic || settings.ConstantVolume || settings.StrainMask is not null))
            throw new SettingsException("a pressure, hydrostatic, constant-volume or masked strain needs a cell relaxation");
        if (settings.Hydrostatic && settings.ConstantVolume) throw new SettingsException("hydrostatic and constant-volume exclude each other");
        if (!double.IsFinite(settings.PressureGPa)) throw new SettingsException("the pressure must be a finite number");
        return optimizer;
    }

    /// <summary>What the optimizer moves: the atoms, or atoms and cell through the Fréchet filter, under the
    /// constraints the settings ask for (the symmetry one from the structure's own analysis).</summary>
    private static IOptimizable Target(Structure s, SymmetryDataset? dataset, RelaxSettings settings)
    {
        var constraints = new List<IConstraint>();
        if (settings.KeepSymmetry)
        {
            var symmetry = new FixSymmetry(s, (dataset ?? throw new SettingsException($"no space group found for a structure of {s.Formula}")).Operations.Operations, settings.Symprec);
            symmetry.Refine(s);
            constraints.Add(symmetry);
        }
        if (settings.FixedAtoms.Count > 0) constraints.Add(new FixAtoms(settings.FixedAtoms.ToArray()));
        return settings.RelaxCell
            ? new FrechetCellFilter(s, constraints, settings.PressureGPa / MdUnits.GPaPerEvPerA3, settings.Hydrostatic, settings.ConstantVolume, settings.StrainMask)
            : new AtomsOptimizable(s, constraints);
    }
}
