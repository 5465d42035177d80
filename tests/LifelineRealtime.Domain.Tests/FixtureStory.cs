using LifelineRealtime.Domain.TaskRouter;

namespace LifelineRealtime.Domain.Tests;

/// <summary>
/// The DIGI fixture story of ../shared/twilio §11 as records: task d1000001 (imminent) from 10:00:00 AEDT
/// on 2026-11-24 with a RONA (Blake), a reject (Casey), an acceptance after 49.25 s (Alex), talk 1200 s,
/// wrap 135.5 s; and chat d1000002 (support) abandoned after 97 s.
/// </summary>
internal static class FixtureStory
{
    public const long T0 = 1_795_474_800_000;
    public const string Task1 = "WT000000000000000000000000d1000001";
    public const string Task2 = "WT000000000000000000000000d1000002";
    public const string ImminentQueue = "WQ000000000000000000000000000d1001";
    public const string SupportQueue = "WQ000000000000000000000000000d1003";
    public const string Blake = "WK000000000000000000000000000b1a6e";
    public const string Casey = "WK0000000000000000000000000000ca5e";
    public const string Alex = "WK0000000000000000000000000000a1e7";
    public const string AlexReservation = "WR000000000000000000000000d1000103";

    /// <summary>Local day 2026-11-24 in Sydney starts at 2026-11-23T13:00:00Z.</summary>
    public const long Day20261124StartMs = 1_795_438_800_000;

    public static List<TaskRouterEvent> Events()
    {
        var ev = new TestEvents();
        const string q = ImminentQueue;
        const string qn = "DIGI imminent";
        return
        [
            ev.Created(Task1, T0, "imminent"),
            ev.Reservation(TaskRouterEventType.ReservationCreated, Task1, "WR000000000000000000000000d1000101", Blake, "Team A", T0 + 5_000, q, qn),
            ev.Reservation(TaskRouterEventType.ReservationTimeout, Task1, "WR000000000000000000000000d1000101", Blake, "Team A", T0 + 35_000, q, qn),
            ev.Activity(Blake, "Team A", T0 + 35_020, "Offline", "Available", 5_412_318),
            ev.Reservation(TaskRouterEventType.ReservationCreated, Task1, "WR000000000000000000000000d1000102", Casey, "Team B", T0 + 36_000, q, qn),
            ev.Reservation(TaskRouterEventType.ReservationRejected, Task1, "WR000000000000000000000000d1000102", Casey, "Team B", T0 + 41_000, q, qn),
            ev.Reservation(TaskRouterEventType.ReservationCreated, Task1, AlexReservation, Alex, "Team A", T0 + 42_000, q, qn),
            ev.Reservation(TaskRouterEventType.ReservationAccepted, Task1, AlexReservation, Alex, "Team A", T0 + 49_250, q, qn),
            ev.Task(TaskRouterEventType.TaskWrapup, Task1, T0 + 1_249_250, q, qn),
            ev.Reservation(TaskRouterEventType.ReservationWrapup, Task1, AlexReservation, Alex, "Team A", T0 + 1_249_300, q, qn),
            ev.Task(TaskRouterEventType.TaskCompleted, Task1, T0 + 1_384_750, q, qn),
            ev.Reservation(TaskRouterEventType.ReservationCompleted, Task1, AlexReservation, Alex, "Team A", T0 + 1_384_800, q, qn),
            ev.Created(Task2, 1_795_475_400_000, "support"),
            ev.Task(TaskRouterEventType.TaskQueueEntered, Task2, 1_795_475_400_100, SupportQueue, "DIGI support"),
            ev.Task(TaskRouterEventType.TaskCanceled, Task2, 1_795_475_497_000, SupportQueue, "DIGI support"),
        ];
    }
}
