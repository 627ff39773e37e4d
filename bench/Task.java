package bench;

/** One request of a load client: an HTTP call or a statement. */
interface Task {
    void run() throws Exception;
}
