/**
 * Reports the status of Airflow DAG tasks to Modelplane, from Java or from the command line.
 *
 * <ul>
 *   <li>{@link io.modelplane.daghelper.WritebackClient} posts training-job status writebacks and
 *       deployment run callbacks, retrying network errors, 429 and 5xx (not 501) up to a deadline.
 *   <li>{@link io.modelplane.daghelper.TrainingJobReporter} and {@link
 *       io.modelplane.daghelper.DeploymentRunReporter} name the transitions of one job or run.
 *   <li>{@link io.modelplane.daghelper.TaskWrapper} runs a task body and reports its start, success
 *       and failure.
 *   <li>{@link io.modelplane.daghelper.Main} is the command line ({@code java -jar
 *       modelplane-dag-helper.jar --help}).
 * </ul>
 *
 * <p>Only the JDK ({@code java.net.http}) and jackson-databind are used.
 */
package io.modelplane.daghelper;
