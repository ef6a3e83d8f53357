// `npm start`: the embedded mode entry point. The embedded mode (store on disk, local
// workflows, workers, status page) is not built yet; until it lands this says so and exits 0.
console.log('Lifeline embedded mode is not built yet.');
console.log('What exists today: the link machine and its DynamoDB store (run `npm test`).');
console.log('See README.md and ARCHITECTURE.md for the plan and the current state.');
