/** tokio-metrics and tokio-console, as chapter 19 builds them: task and runtime metrics, and the console's lints. */
export { Console, RuntimeMonitor, TaskMetrics, TaskMonitor, diagnose, type RuntimeIntervalMetrics, type TaskStats, type Warning } from "#kata/19-capstone";
