namespace MDEngine.Dynamics;

/// <summary>The observables of one logged step. Energies in eV, temperature in K, pressure in GPa, volume in Å³,
/// cell lengths in Å, speed in ns/day of simulated time.</summary>
public sealed record ThermoSample(
    long Step, double TimePs, double PotentialEnergy, double KineticEnergy, double TotalEnergy, double ConservedEnergy,
    double Temperature, double? PressureGPa, double Volume, double A, double B, double C, double NsPerDay);
