namespace MDEngine.Dynamics;

/// <summary>
/// Microcanonical (NVE) velocity Verlet: v(t+½) = v(t) + (dt/2) F(t)/m; r(t+dt) = r(t) + dt v(t+½);
/// v(t+dt) = v(t+½) + (dt/2) F(t+dt)/m. Symplectic and time-reversible, so the energy error stays bounded and
/// scales as dt²; the same update as LAMMPS's <c>fix nve</c> and ASE's <c>VelocityVerlet</c>.
/// </summary>
public sealed class VelocityVerlet(double timeStep) : Integrator(timeStep)
{
    public override string Name => "nve";

    public override void Step(MdState state, ForceEvaluator forces)
    {
        double dt = TimeStep;
        VerletKernels.VelocityVerletStep(state, forces, dt);
    }
}
